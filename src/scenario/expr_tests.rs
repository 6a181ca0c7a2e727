//! Tests of every expression form, every operator and every error the parser reports.

use super::*;

/// Variables: n (int, slot 0), ok (bool, slot 1); character mila (0); visit slots a=0, b=1.
struct R;

impl Resolver for R {
    fn name(&self, name: &str) -> Option<Name> {
        match name {
            "n" => Some(Name::Var(0, Type::Int)),
            "ok" => Some(Name::Var(1, Type::Bool)),
            "mila" => Some(Name::Character(0)),
            _ => None,
        }
    }
    fn visit_slot(&self, id: &str) -> Option<u32> {
        match id {
            "a" => Some(0),
            "b" => Some(1),
            _ => None,
        }
    }
    fn similar(&self, name: &str) -> Option<String> {
        (name == "nn").then(|| "n".to_string())
    }
}

fn env_eval(src: &str) -> i64 {
    let (e, _) = parse_value(src, &R).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    let vars = [5, 1];
    let moods = [-2];
    let trust = [3];
    let visits = [2, 0];
    e.eval(&Env {
        vars: &vars,
        moods: &moods,
        trust: &trust,
        visits: &visits,
        track: &[0, 1],
    })
}

#[test]
fn literals_names_and_fields() {
    assert_eq!(env_eval("42"), 42);
    assert_eq!(env_eval("true"), 1);
    assert_eq!(env_eval("false"), 0);
    assert_eq!(env_eval("n"), 5);
    assert_eq!(env_eval("ok"), 1);
    assert_eq!(env_eval("mila.mood"), -2);
    assert_eq!(env_eval("mila.trust"), 3);
    assert_eq!(env_eval("visits(a)"), 2);
    assert_eq!(env_eval("visited(a)"), 1);
    assert_eq!(env_eval("visited(b)"), 0);
}

#[test]
fn every_operator_and_precedence() {
    assert_eq!(env_eval("n + 2 * 3"), 11);
    assert_eq!(env_eval("(n + 2) * 3"), 21);
    assert_eq!(env_eval("n - 7"), -2);
    assert_eq!(env_eval("-n"), -5);
    assert_eq!(env_eval("- -n"), 5);
    assert_eq!(env_eval("!ok"), 0);
    assert_eq!(env_eval("!!ok"), 1);
    for (src, want) in [
        ("n == 5", 1),
        ("n != 5", 0),
        ("n < 6", 1),
        ("n <= 5", 1),
        ("n > 5", 0),
        ("n >= 6", 0),
        ("ok == true", 1),
        ("ok != false", 1),
        ("ok && n > 1", 1),
        ("!ok || n > 9", 0),
        ("false || true && false", 0),
        ("n > 1 && mila.trust >= 2 && visited(a)", 1),
    ] {
        assert_eq!(env_eval(src), want, "{src}");
    }
}

#[test]
fn arithmetic_saturates() {
    assert_eq!(env_eval("9223372036854775807 + 1"), i64::MAX);
    assert_eq!(env_eval("-9223372036854775807 - 5"), i64::MIN);
    assert_eq!(env_eval("9223372036854775807 * 2"), i64::MAX);
}

#[test]
fn effects_parse_all_forms() {
    let e = parse_effect("n += 2", &R).unwrap();
    assert_eq!((e.target, e.op), (Target::Var(0), AssignOp::Add));
    let e = parse_effect("n -= n * 2", &R).unwrap();
    assert_eq!((e.target, e.op), (Target::Var(0), AssignOp::Sub));
    let e = parse_effect("ok = n > 3", &R).unwrap();
    assert_eq!((e.target, e.op), (Target::Var(1), AssignOp::Set));
    let e = parse_effect("mila.mood -= 1", &R).unwrap();
    assert_eq!(e.target, Target::Mood(0));
    let e = parse_effect("mila.trust = 4", &R).unwrap();
    assert_eq!(e.target, Target::Trust(0));
}

fn cond_err(src: &str) -> ExprError {
    parse_condition(src, &R).expect_err(src)
}

#[test]
fn type_errors_are_reported_with_spans() {
    let e = cond_err("n + 1");
    assert!(e.message.contains("must be true or false"), "{e:?}");
    let e = cond_err("ok + 1 > 0");
    assert!(e.message.contains("arithmetic needs an integer"), "{e:?}");
    assert_eq!(e.span, 0..2);
    let e = cond_err("n && ok");
    assert!(e.message.contains("`&&` needs a boolean"), "{e:?}");
    let e = cond_err("ok == 1");
    assert!(
        e.message
            .contains("cannot compare a boolean with an integer"),
        "{e:?}"
    );
    let e = cond_err("!n");
    assert!(e.message.contains("`!` needs a boolean"), "{e:?}");
    let e = cond_err("-ok == 1");
    assert!(e.message.contains("`-` needs an integer"), "{e:?}");
    let e = cond_err("ok < true");
    assert!(e.message.contains("ordering needs an integer"), "{e:?}");
}

#[test]
fn name_errors_suggest() {
    let e = cond_err("nn > 1");
    assert_eq!(e.message, "unknown name `nn`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `n`?"));
    assert_eq!(e.span, 0..2);
    let e = cond_err("visited(zz)");
    assert_eq!(e.message, "unknown node or choice `zz`");
    assert_eq!(e.span, 8..10);
    let e = cond_err("mila > 1");
    assert!(e.message.contains("is a character"), "{e:?}");
    let e = cond_err("mila.age > 1");
    assert!(e.message.contains("only `mood` and `trust`"), "{e:?}");
}

#[test]
fn syntax_errors() {
    assert!(cond_err("n = 1").hint.unwrap().contains("=="));
    assert!(cond_err("n > ").message.contains("ends too early"));
    assert!(cond_err("(n > 1").message.contains("expected `)`"));
    assert!(cond_err("n > 1 1").message.contains("unexpected number"));
    assert!(cond_err("n & ok").hint.unwrap().contains("&&"));
    assert!(cond_err("n / 2 > 1").hint.unwrap().contains("only +"));
    assert!(cond_err("\"x\"").hint.unwrap().contains("no strings"));
    assert!(
        cond_err("99999999999999999999 > 1")
            .message
            .contains("too large")
    );
    assert!(cond_err("").message.contains("ends too early"));
    let e = parse_effect("n == 1", &R).unwrap_err();
    assert!(e.hint.unwrap().contains("`=` to assign"));
    let e = parse_effect("ok += 1", &R).unwrap_err();
    assert!(e.message.contains("is a boolean"), "{e:?}");
    let e = parse_effect("n = true", &R).unwrap_err();
    assert!(
        e.message
            .contains("is an integer but the value is a boolean"),
        "{e:?}"
    );
    let e = parse_effect("5 = n", &R).unwrap_err();
    assert!(e.message.contains("starts with the name"), "{e:?}");
    let e = parse_effect("n 1", &R).unwrap_err();
    assert!(e.message.contains("expected `=`"), "{e:?}");
}

#[test]
fn limits_on_length_and_depth() {
    let long = format!("n > {}", "1 + ".repeat(300) + "1");
    assert!(cond_err(&long).message.contains("bytes long"));
    let deep = format!("{}ok{}", "(".repeat(100), ")".repeat(100));
    assert!(cond_err(&deep).message.contains("nests more than"));
    let nots = format!("{}ok", "!".repeat(200));
    assert!(cond_err(&nots).message.contains("nests more than"));
    // Just inside the depth limit parses.
    let ok = format!("{}ok{}", "(".repeat(20), ")".repeat(20));
    assert!(parse_condition(&ok, &R).is_ok());
}

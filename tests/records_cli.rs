//! `casus records …` and `casus play --record` from the outside: what an administrator types and
//! what comes out, including xAPI validity of every exported statement.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn casus(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casus"))
        .current_dir(root())
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = casus(data, args);
    assert!(
        out.status.success(),
        "casus {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fresh(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-rcli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Plays the fixture case `mini` in `mode` with scripted `choices`, recorded for `trainee`.
fn play_mini(d: &Path, trainee: &str, mode: &str, choices: &str) {
    ok(
        d,
        &[
            "play",
            "tests/fixtures/mini.ron",
            "--mode",
            mode,
            "--choices",
            choices,
            "--record",
            trainee,
        ],
    );
}

/// A data directory with one trainee and two recorded attempts at the shipped first case.
fn with_attempts(name: &str) -> (PathBuf, String) {
    let d = fresh(name);
    let t = ok(
        &d,
        &[
            "records",
            "add-trainee",
            "--name",
            "Mira de Vries",
            "--skj",
            "110011",
        ],
    )
    .trim()
    .to_string();
    play_mini(&d, &t, "exam", "1,1,1");
    play_mini(&d, &t, "practice", "1,2,b,1");
    (d, t)
}

fn is_absolute_iri(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 8
        && !s.contains(char::is_whitespace)
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.chars().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn is_iso_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("PT") else {
        return false;
    };
    !rest.is_empty()
        && rest.ends_with(['H', 'M', 'S'])
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || "HMS.".contains(c))
}

fn check_language_maps(v: &Value, path: &str) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if ["name", "description", "display"].contains(&k.as_str()) {
                    let map = x
                        .as_object()
                        .unwrap_or_else(|| panic!("{path}.{k} is a language map"));
                    for (tag, text) in map {
                        let ok = tag.split('-').enumerate().all(|(i, p)| {
                            (i == 0
                                && (2..=3).contains(&p.len())
                                && p.chars().all(|c| c.is_ascii_lowercase()))
                                || (i > 0
                                    && p.len() == 2
                                    && p.chars().all(|c| c.is_ascii_uppercase()))
                        });
                        assert!(ok, "{path}.{k}: `{tag}` is not a language tag");
                        assert!(text.is_string());
                    }
                } else if k != "actor" {
                    check_language_maps(x, &format!("{path}.{k}"));
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| check_language_maps(x, path)),
        _ => {}
    }
}

#[test]
fn the_xapi_export_is_valid_xapi_1_0_3() {
    let (d, t) = with_attempts("xapi");
    let out = fresh("xapi-out").with_extension("json");
    ok(
        &d,
        &[
            "records",
            "export",
            "--format",
            "xapi",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let sts: Vec<Value> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(sts.len() >= 12, "{}", sts.len());
    let mut ids = std::collections::BTreeSet::new();
    for st in &sts {
        let id = st["id"].as_str().unwrap();
        assert!(is_uuid(id), "{id}");
        assert!(ids.insert(id), "duplicate id {id}");
        let ts = st["timestamp"].as_str().unwrap();
        assert!(
            ts.ends_with('Z') && casus::records::time::parse(ts).is_ok(),
            "{ts}"
        );
        assert!(is_absolute_iri(st["verb"]["id"].as_str().unwrap()));
        assert_eq!(st["actor"]["account"]["name"], t.as_str());
        assert!(is_absolute_iri(
            st["actor"]["account"]["homePage"].as_str().unwrap()
        ));
        assert!(!st.to_string().contains("Mira"), "pseudonymous");
        let obj = &st["object"];
        if obj["objectType"] == "StatementRef" {
            assert!(
                ids.contains(obj["id"].as_str().unwrap()),
                "voids an earlier statement"
            );
            continue;
        }
        assert!(is_absolute_iri(obj["id"].as_str().unwrap()));
        assert!(is_uuid(st["context"]["registration"].as_str().unwrap()));
        for (k, _) in st["context"]["extensions"].as_object().unwrap() {
            assert!(is_absolute_iri(k), "{k}");
        }
        if let Some(d) = st["result"]["duration"].as_str() {
            assert!(is_iso_duration(d), "{d}");
        }
        if let Some(score) = st["result"].get("score") {
            let (s, r) = (
                score["scaled"].as_f64().unwrap(),
                score["raw"].as_f64().unwrap(),
            );
            assert!((0.0..=1.0).contains(&s) && (0.0..=100.0).contains(&r));
        }
        check_language_maps(st, "statement");
    }
    let verbs = common::verbs(&sts);
    for v in [
        "initialized",
        "answered",
        "voided",
        "completed",
        "terminated",
    ] {
        assert!(verbs.contains(&v), "{v} in {verbs:?}");
    }
    let answered = sts
        .iter()
        .find(|s| s["verb"]["display"]["en-US"] == "answered")
        .unwrap();
    assert_eq!(
        answered["object"]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/cmi.interaction"
    );
    assert_eq!(
        answered["object"]["definition"]["interactionType"],
        "choice"
    );
}

#[test]
fn lists_csv_json_report_and_certificate() {
    let (d, t) = with_attempts("lists");
    let trainees = ok(&d, &["records", "trainees"]);
    assert!(
        trainees.contains("Mira de Vries") && trainees.contains(&t),
        "{trainees}"
    );
    let attempts: Vec<Value> =
        serde_json::from_str(&ok(&d, &["records", "attempts", "--json"])).unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["status"], "finished");
    assert_eq!(attempts[0]["decisions"], 3);
    assert_eq!(
        attempts[1]["status"], "in_progress",
        "the practice script stops before the end"
    );

    let csv = ok(&d, &["records", "export", "--format", "csv"]);
    assert!(csv.starts_with("attempt_id,trainee_id,trainee_name,skj_number,"));
    assert!(!csv.contains("Mira"));
    let named = ok(&d, &["records", "export", "--format", "csv", "--names"]);
    assert!(named.contains("Mira de Vries,110011"));
    let since = ok(
        &d,
        &[
            "records",
            "export",
            "--format",
            "csv",
            "--since",
            "2999-01-01",
        ],
    );
    assert_eq!(since.lines().count(), 1, "header only");
    let bad = casus(
        &d,
        &[
            "records", "export", "--format", "csv", "--since", "gisteren",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a date"));

    let json: Value =
        serde_json::from_str(&ok(&d, &["records", "export", "--format", "json"])).unwrap();
    assert_eq!(json["attempts"].as_array().unwrap().len(), 2);

    let report = fresh("report").with_extension("html");
    ok(&d, &["records", "report", "-o", report.to_str().unwrap()]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("<svg") && html.contains("Pass rates per scenario"));
    assert!(
        html.contains("Mini") && !html.contains("Mira"),
        "pseudonymous by default"
    );

    let id = attempts[0]["id"].as_str().unwrap();
    let cert = fresh("cert").with_extension("html");
    ok(
        &d,
        &[
            "records",
            "certificate",
            "--attempt",
            id,
            "-o",
            cert.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&cert).unwrap();
    for needle in [
        "Mira de Vries",
        "110011",
        "Record of completion",
        "Study hours",
        "Supervisor",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    let open = attempts[1]["id"].as_str().unwrap();
    let out = casus(&d, &["records", "certificate", "--attempt", open]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not finished"));

    // A failed exam after the passed one: the trainee's record lists the case once in its
    // overview, as passed on the first passing attempt, with both attempts counted.
    assert_eq!(attempts[0]["passed"], true, "{}", attempts[0]);
    play_mini(&d, &t, "exam", "2,2,2");
    // A finished practice run, passed: it counts as practice, not as a final test.
    play_mini(&d, &t, "practice", "1,1,1");
    let all = fresh("cert-all").with_extension("html");
    ok(
        &d,
        &[
            "records",
            "certificate",
            "--trainee",
            &t,
            "-o",
            all.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&all).unwrap();
    let overview = &html[html.find("<h2>Cases</h2>").expect("an overview")..];
    let row = &overview[overview.find("<tr><td>Mini").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td class='num'>2</td><td class='num'>1</td>")
            && row.contains("<strong>passed</strong> on "),
        "{row}"
    );
    assert_eq!(html.matches("<tr><td>Mini").count(), 1);
    // Study hours count once, for the passed exam only; the practice run is listed as practice.
    assert!(
        html.contains("<td>0.2 (1 case with a passed final test, each counted once)</td>"),
        "{html}"
    );
    assert!(row.contains("<td class='num'>0.2</td>"), "{row}");
    assert!(
        html.contains("Practice run (not a final test; earns no study hours)"),
        "{html}"
    );
    assert!(html.contains("<th>Scoring rules</th><td class='muted'>version 2"));
    let practice_row = &html[html.find("Practice run (").unwrap()..];
    let practice_row = &practice_row[..practice_row.find("</table>").unwrap()];
    assert!(
        practice_row.contains("study hours count only for a passed final test"),
        "{practice_row}"
    );
    assert_eq!(
        html.matches("<h2>Mini</h2>").count(),
        3,
        "one section per attempt"
    );

    // Someone who never passed: the overview gives the best score reached.
    let other = ok(&d, &["records", "add-trainee", "--name", "Ravi"])
        .trim()
        .to_string();
    play_mini(&d, &other, "exam", "2,2,2");
    play_mini(&d, &other, "exam", "1,2,2");
    let listed: Vec<Value> = serde_json::from_str(&ok(
        &d,
        &["records", "attempts", "--trainee", &other, "--json"],
    ))
    .unwrap();
    assert!(listed.iter().all(|a| a["passed"] == false), "{listed:?}");
    let best = listed
        .iter()
        .map(|a| a["overall"].as_f64().unwrap())
        .fold(f64::MIN, f64::max);
    let cert = fresh("cert-other").with_extension("html");
    ok(
        &d,
        &[
            "records",
            "certificate",
            "--trainee",
            &other,
            "-o",
            cert.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&cert).unwrap();
    assert!(
        html.contains(&format!("not passed · best {}", casus::i18n::percent(best))),
        "best {best}"
    );
    assert!(
        html.contains("<td>0.0 (0 cases with a passed final test, each counted once)</td>"),
        "no study hours without a passed exam"
    );

    // Writing into a folder that does not exist says so, and leaves nothing behind.
    let missing = fresh("no-such-folder").join("report.html");
    let out = casus(&d, &["records", "report", "-o", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not exist") && !err.contains(".partial"),
        "{err}"
    );
}

#[test]
fn configuration_and_upkeep() {
    let (d, _) = with_attempts("config");
    let bad = casus(&d, &["records", "config", "--home-page", "org.example"]);
    assert_eq!(bad.status.code(), Some(2));
    let cfg: Value = serde_json::from_str(&ok(
        &d,
        &[
            "records",
            "config",
            "--home-page",
            "https://jeugdzorg.example",
            "--provider",
            "Academie",
        ],
    ))
    .unwrap();
    assert_eq!(cfg["home_page"], "https://jeugdzorg.example");
    let check = ok(&d, &["records", "check"]);
    assert!(check.contains("integrity: ok"), "{check}");
    let attempts: Vec<Value> =
        serde_json::from_str(&ok(&d, &["records", "attempts", "--json"])).unwrap();
    let open = attempts[1]["id"].as_str().unwrap();
    ok(
        &d,
        &["records", "--scenarios", "tests/fixtures", "abandon", open],
    );
    let after: Vec<Value> =
        serde_json::from_str(&ok(&d, &["records", "attempts", "--json"])).unwrap();
    assert_eq!(after[1]["status"], "abandoned");
    // The version played is in that folder, so the statement names the case's goals.
    let sts: Vec<Value> =
        serde_json::from_str(&ok(&d, &["records", "export", "--format", "xapi"])).unwrap();
    let abandoned: Vec<&Value> = sts
        .iter()
        .filter(|s| s["verb"]["id"].as_str().unwrap().ends_with("/abandoned"))
        .collect();
    assert_eq!(abandoned.len(), 1);
    assert_eq!(abandoned[0]["context"]["registration"], open);
    let grouping = abandoned[0]["context"]["contextActivities"]["grouping"]
        .as_array()
        .expect("goals named");
    assert!(!grouping.is_empty());
    assert!(abandoned[0]["object"]["definition"]["description"].is_object());
    // A finished attempt cannot be abandoned; nothing changes.
    let done = after[0]["id"].as_str().unwrap();
    let out = casus(&d, &["records", "abandon", done]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in progress"));
    let again: Vec<Value> =
        serde_json::from_str(&ok(&d, &["records", "attempts", "--json"])).unwrap();
    assert_eq!(again[0]["status"], "finished");
    // Erasure asks for --yes and changes nothing without it.
    let trainee = after[0]["trainee"].as_str().unwrap();
    let dry = casus(&d, &["records", "erase", "--trainee", trainee]);
    assert_eq!(dry.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("add --yes"));
    assert!(ok(&d, &["records", "trainees"]).contains(trainee));
    let gone = ok(&d, &["records", "erase", "--trainee", trainee, "--yes"]);
    assert!(gone.contains("erased trainee"), "{gone}");
    assert!(!ok(&d, &["records", "trainees"]).contains(trainee));
}

#[test]
fn a_foreign_database_is_a_clear_error() {
    let d = fresh("foreign");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("casus-records.sqlite"), "not a database").unwrap();
    let out = casus(&d, &["records", "trainees"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not a Casus records database") && err.contains("left untouched"),
        "{err}"
    );
    let out = casus(
        &d,
        &[
            "play",
            "tests/fixtures/mini.ron",
            "--choices",
            "1",
            "--record",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

// Symbolic links, devices and pipes as Unix has them.
#[cfg(unix)]
#[test]
fn outputs_go_to_links_devices_and_pipes_as_given() {
    use std::os::unix::fs::FileTypeExt;
    let (d, _) = with_attempts("outputs");
    let out_dir = fresh("outputs-files");
    std::fs::create_dir_all(&out_dir).unwrap();

    // A link keeps pointing at the export, also when its target does not exist yet.
    let link = out_dir.join("latest.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    ok(
        &d,
        &[
            "records",
            "export",
            "--format",
            "csv",
            "-o",
            link.to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let csv = std::fs::read_to_string(out_dir.join("real.csv")).unwrap();
    assert!(csv.starts_with("attempt_id,"));

    // A device is written, not replaced: /dev/full refuses the data and stays a device.
    let full = Path::new("/dev/full");
    if full.exists() {
        let out = casus(
            &d,
            &["records", "export", "--format", "json", "-o", "/dev/full"],
        );
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("writing the output"), "{err}");
        assert!(
            std::fs::metadata(full)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    // A reader that goes away early (`| head`) ends the export quietly.
    let mut child = Command::new(env!("CARGO_BIN_EXE_casus"))
        .current_dir(root())
        .arg("--data")
        .arg(&d)
        .args(["records", "export", "--format", "xapi"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn without_data_option_the_records_go_to_the_platform_data_directory() {
    let home = fresh("home");
    let xdg = home.join("xdg");
    let run = |envs: &[(&str, &Path)], unset: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_casus"));
        c.current_dir(root()).args(["records", "check"]);
        for (k, v) in envs {
            c.env(k, v);
        }
        for k in unset {
            c.env_remove(k);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run(&[("HOME", &home), ("XDG_DATA_HOME", &xdg)], &["CASUS_DATA"]);
    assert!(xdg.join("casus/casus-records.sqlite").is_file(), "{out}");
    let out = run(&[("HOME", &home)], &["CASUS_DATA", "XDG_DATA_HOME"]);
    assert!(
        home.join(".local/share/casus/casus-records.sqlite")
            .is_file(),
        "{out}"
    );
    let chosen = home.join("chosen");
    run(&[("HOME", &home), ("CASUS_DATA", &chosen)], &[]);
    assert!(chosen.join("casus-records.sqlite").is_file());
}

/// Issue 18, point 3: personal data is the owner's only, under the usual umask 022.
#[cfg(unix)]
#[test]
fn records_and_exports_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let (d, _) = with_attempts("private");
    assert_eq!(mode(&d), 0o700, "the data folder");
    for f in std::fs::read_dir(&d).unwrap() {
        let p = f.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("casus-records.sqlite")
        {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
    // An export replacing a file others could read leaves one they cannot.
    let out = fresh("private-out");
    std::fs::create_dir_all(&out).unwrap();
    let csv = out.join("export.csv");
    std::fs::write(&csv, "old").unwrap();
    std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok(
        &d,
        &[
            "records",
            "export",
            "--format",
            "csv",
            "-o",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(mode(&csv), 0o600);
    let report = out.join("report.html");
    ok(&d, &["records", "report", "-o", report.to_str().unwrap()]);
    assert_eq!(mode(&report), 0o600);
}

/// Issue 18, point 6: a name cannot carry escape sequences, line breaks or text-direction
/// overrides, nor run to thousands of characters; what is shown is shown plainly.
#[test]
fn names_that_would_spoof_the_display_are_refused() {
    let d = fresh("spoof");
    for name in [
        "Mira\u{1b}[2J\u{1b}[31mAdmin",
        "Mira\nNieuwe regel",
        "Mira \u{202E}seirV ed",
        &"a".repeat(10_000),
    ] {
        let out = casus(&d, &["records", "add-trainee", "--name", name]);
        assert_eq!(out.status.code(), Some(2), "{name:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("control or text-direction") || err.contains("longer than 200"),
            "{err}"
        );
    }
    let skj = casus(
        &d,
        &[
            "records",
            "add-trainee",
            "--name",
            "Mira",
            "--skj",
            "12\u{7}3",
        ],
    );
    assert_eq!(skj.status.code(), Some(2));
    // Plain names, accents and all, are kept as typed.
    ok(
        &d,
        &["records", "add-trainee", "--name", "Zoë Çelik-Øvergaard"],
    );
    assert!(ok(&d, &["records", "trainees"]).contains("Zoë Çelik-Øvergaard"));
    assert_eq!(
        casus::records::shown("a\u{1b}[31mb\u{202E}c"),
        "a\u{FFFD}[31mb\u{FFFD}c"
    );
    assert_eq!(
        casus::records::report::esc("x\u{202E}y\nz"),
        "x\u{FFFD}y\nz",
        "pages keep line breaks but not overrides"
    );
}

/// Issue 18, point 8: an address that is not HTTP(S) is refused at once, not retried, and not
/// repeated (it may hold a password).
#[test]
fn an_lrs_address_that_is_not_http_is_refused_at_once() {
    let (d, _) = with_attempts("ftp");
    let started = std::time::Instant::now();
    for args in [
        &[
            "records",
            "push",
            "--lrs",
            "ftp://trainer:geheim@lrs.example/xAPI",
        ][..],
        &[
            "records",
            "report",
            "--from-lrs",
            "ftp://trainer:geheim@lrs.example/xAPI",
        ][..],
    ] {
        let out = casus(&d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("must start with http:// or https://"), "{err}");
        assert!(!err.contains("geheim"), "{err}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "no retries"
    );
}

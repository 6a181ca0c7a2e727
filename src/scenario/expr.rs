//! The expression language of conditions and effects: lexer, parser, type checker, evaluator.
//!
//! Expressions are parsed and resolved once, when a scenario is loaded; at play time only the
//! compiled tree is evaluated, over integers (booleans are 0 and 1 after type checking). The
//! grammar, loosest binding first:
//!
//! ```text
//! expr    := or
//! or      := and ("||" and)*
//! and     := cmp ("&&" cmp)*
//! cmp     := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
//! sum     := product (("+"|"-") product)*
//! product := unary ("*" unary)*
//! unary   := ("!"|"-") unary | atom
//! atom    := INT | "true" | "false" | NAME | NAME "." ("mood"|"trust")
//!          | ("visited"|"visits") "(" NAME ")" | "(" expr ")"
//! effect  := target ("=" | "+=" | "-=") expr
//! target  := NAME | NAME "." ("mood"|"trust")
//! ```
//!
//! Arithmetic saturates instead of overflowing; there are no loops or calls, so evaluation is
//! bounded by the size of the tree, which is bounded by [`MAX_LEN`] and [`MAX_DEPTH`].

use std::ops::Range;

/// Longest expression accepted, in bytes.
pub const MAX_LEN: usize = 1000;
/// Deepest nesting accepted (parentheses and operators).
pub const MAX_DEPTH: usize = 48;

/// The type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Int,
    Bool,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::Int => "integer",
            Type::Bool => "boolean",
        }
    }

    /// The name with its article, for messages.
    pub fn a(self) -> &'static str {
        match self {
            Type::Int => "an integer",
            Type::Bool => "a boolean",
        }
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
}

/// A compiled expression: names resolved to slots.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Const(i64),
    Var(u32),
    Mood(u32),
    Trust(u32),
    Visits(u32),
    Visited(u32),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
}

/// What an effect assigns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Var(u32),
    Mood(u32),
    Trust(u32),
}

/// How an effect assigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Add,
    Sub,
}

/// A compiled effect: `target op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub target: Target,
    pub op: AssignOp,
    pub value: Expr,
}

/// The state an expression reads.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub vars: &'a [i64],
    pub moods: &'a [i64],
    pub trust: &'a [i64],
    /// Visit counts of the tracked slots.
    pub visits: &'a [u32],
    /// Visit slot → index in `visits`.
    pub track: &'a [u32],
}

impl Expr {
    /// Evaluates the expression; booleans come out as 0 or 1.
    pub fn eval(&self, env: &Env<'_>) -> i64 {
        match self {
            Expr::Const(v) => *v,
            Expr::Var(i) => env.vars[*i as usize],
            Expr::Mood(i) => env.moods[*i as usize],
            Expr::Trust(i) => env.trust[*i as usize],
            Expr::Visits(i) => i64::from(env.visits[env.track[*i as usize] as usize]),
            Expr::Visited(i) => i64::from(env.visits[env.track[*i as usize] as usize] > 0),
            Expr::Not(e) => i64::from(e.eval(env) == 0),
            Expr::Neg(e) => e.eval(env).saturating_neg(),
            Expr::Bin(op, a, b) => {
                let a = a.eval(env);
                match op {
                    BinOp::Or => i64::from(a != 0 || b.eval(env) != 0),
                    BinOp::And => i64::from(a != 0 && b.eval(env) != 0),
                    _ => {
                        let b = b.eval(env);
                        match op {
                            BinOp::Eq => i64::from(a == b),
                            BinOp::Ne => i64::from(a != b),
                            BinOp::Lt => i64::from(a < b),
                            BinOp::Le => i64::from(a <= b),
                            BinOp::Gt => i64::from(a > b),
                            BinOp::Ge => i64::from(a >= b),
                            BinOp::Add => a.saturating_add(b),
                            BinOp::Sub => a.saturating_sub(b),
                            BinOp::Mul => a.saturating_mul(b),
                            BinOp::Or | BinOp::And => unreachable!("handled above"),
                        }
                    }
                }
            }
        }
    }

    /// Calls `f` with every character field the expression reads: `(character, is_mood)`.
    pub fn for_each_character_ref(&self, f: &mut impl FnMut(u32, bool)) {
        match self {
            Expr::Mood(c) => f(*c, true),
            Expr::Trust(c) => f(*c, false),
            Expr::Not(e) | Expr::Neg(e) => e.for_each_character_ref(f),
            Expr::Bin(_, a, b) => {
                a.for_each_character_ref(f);
                b.for_each_character_ref(f);
            }
            Expr::Const(_) | Expr::Var(_) | Expr::Visits(_) | Expr::Visited(_) => {}
        }
    }

    /// Calls `f` with every visit slot the expression reads.
    pub fn for_each_visit_ref(&self, f: &mut impl FnMut(u32)) {
        match self {
            Expr::Visits(i) | Expr::Visited(i) => f(*i),
            Expr::Not(e) | Expr::Neg(e) => e.for_each_visit_ref(f),
            Expr::Bin(_, a, b) => {
                a.for_each_visit_ref(f);
                b.for_each_visit_ref(f);
            }
            Expr::Const(_) | Expr::Var(_) | Expr::Mood(_) | Expr::Trust(_) => {}
        }
    }
}

/// What a bare name or `visited(…)` argument resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    Var(u32, Type),
    Character(u32),
}

/// Resolves the names an expression uses; implemented by the scenario compiler.
pub trait Resolver {
    fn name(&self, name: &str) -> Option<Name>;
    /// The visit slot of a node or choice id.
    fn visit_slot(&self, id: &str) -> Option<u32>;
    /// Suggestions for an unknown name, for the hint.
    fn similar(&self, name: &str) -> Option<String>;
}

/// A problem in an expression, with its byte range inside the expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub message: String,
    pub span: Range<usize>,
    pub hint: Option<String>,
}

impl ExprError {
    fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        ExprError {
            message: message.into(),
            span,
            hint: None,
        }
    }
    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Int(i64),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
    Dot,
    End,
}

fn lex(src: &str) -> Result<Vec<(Tok, Range<usize>)>, ExprError> {
    if src.len() > MAX_LEN {
        return Err(ExprError::new(
            format!(
                "expression is {} bytes long; at most {MAX_LEN} are allowed",
                src.len()
            ),
            0..src.len().min(1),
        )
        .hint("split the logic over several variables or choices"));
    }
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let v: i64 = src[start..i].parse().map_err(|_| {
                ExprError::new("integer literal is too large", start..i)
                    .hint("integers run from -9223372036854775808 to 9223372036854775807")
            })?;
            out.push((Tok::Int(v), start..i));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(src[start..i].to_string()), start..i));
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let op2 = ["||", "&&", "==", "!=", "<=", ">=", "+=", "-="]
            .into_iter()
            .find(|o| *o == two);
        if let Some(op) = op2 {
            out.push((Tok::Op(op), i..i + 2));
            i += 2;
            continue;
        }
        let tok = match c {
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'.' => Tok::Dot,
            b'<' => Tok::Op("<"),
            b'>' => Tok::Op(">"),
            b'+' => Tok::Op("+"),
            b'-' => Tok::Op("-"),
            b'*' => Tok::Op("*"),
            b'!' => Tok::Op("!"),
            b'=' => Tok::Op("="),
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                let end = i + ch.len_utf8();
                let hint = match ch {
                    '&' => "use `&&` for and",
                    '|' => "use `||` for or",
                    '/' | '%' => "only +, - and * are supported",
                    '"' | '\'' => "expressions have no strings; use a boolean or integer variable",
                    _ => {
                        "expressions use names, integers, true/false and the operators ! * + - < <= > >= == != && ||"
                    }
                };
                return Err(
                    ExprError::new(format!("unexpected character `{ch}`"), i..end).hint(hint),
                );
            }
        };
        out.push((tok, i..i + 1));
        i += 1;
    }
    out.push((Tok::End, src.len()..src.len()));
    Ok(out)
}

struct Parser<'r, R: Resolver> {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    depth: usize,
    resolver: &'r R,
}

type Typed = (Expr, Type, Range<usize>);

impl<R: Resolver> Parser<'_, R> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn span(&self) -> Range<usize> {
        self.toks[self.pos].1.clone()
    }
    fn bump(&mut self) -> (Tok, Range<usize>) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Tok::Op(o) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(
                format!("expression nests more than {MAX_DEPTH} levels deep"),
                self.span(),
            )
            .hint("simplify the expression"));
        }
        Ok(())
    }

    fn expect_type(&self, e: &Typed, want: Type, what: &str) -> Result<(), ExprError> {
        if e.1 != want {
            return Err(ExprError::new(
                format!("{what} needs {} but this is {}", want.a(), e.1.a()),
                e.2.clone(),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Typed, ExprError> {
        self.enter()?;
        let r = self.or();
        self.depth -= 1;
        r
    }

    fn logic(
        &mut self,
        op: &str,
        bin: BinOp,
        next: fn(&mut Self) -> Result<Typed, ExprError>,
    ) -> Result<Typed, ExprError> {
        let mut lhs = next(self)?;
        while self.eat_op(op) {
            let rhs = next(self)?;
            self.expect_type(&lhs, Type::Bool, &format!("`{op}`"))?;
            self.expect_type(&rhs, Type::Bool, &format!("`{op}`"))?;
            let span = lhs.2.start..rhs.2.end;
            lhs = (
                Expr::Bin(bin, Box::new(lhs.0), Box::new(rhs.0)),
                Type::Bool,
                span,
            );
        }
        Ok(lhs)
    }

    fn or(&mut self) -> Result<Typed, ExprError> {
        self.logic("||", BinOp::Or, Self::and)
    }

    fn and(&mut self) -> Result<Typed, ExprError> {
        self.logic("&&", BinOp::And, Self::cmp)
    }

    fn cmp(&mut self) -> Result<Typed, ExprError> {
        let lhs = self.sum()?;
        let op = match self.peek() {
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            Tok::Op("=") => {
                return Err(
                    ExprError::new("`=` assigns; a condition compares", self.span())
                        .hint("write `==` to compare"),
                );
            }
            _ => return Ok(lhs),
        };
        let (_, op_span) = self.bump();
        let rhs = self.sum()?;
        if matches!(op, BinOp::Eq | BinOp::Ne) {
            if lhs.1 != rhs.1 {
                return Err(ExprError::new(
                    format!("cannot compare {} with {}", lhs.1.a(), rhs.1.a()),
                    op_span,
                ));
            }
        } else {
            self.expect_type(&lhs, Type::Int, "ordering")?;
            self.expect_type(&rhs, Type::Int, "ordering")?;
        }
        let span = lhs.2.start..rhs.2.end;
        Ok((
            Expr::Bin(op, Box::new(lhs.0), Box::new(rhs.0)),
            Type::Bool,
            span,
        ))
    }

    fn sum(&mut self) -> Result<Typed, ExprError> {
        let mut lhs = self.product()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.bump();
            let rhs = self.product()?;
            self.expect_type(&lhs, Type::Int, "arithmetic")?;
            self.expect_type(&rhs, Type::Int, "arithmetic")?;
            let span = lhs.2.start..rhs.2.end;
            lhs = (
                Expr::Bin(op, Box::new(lhs.0), Box::new(rhs.0)),
                Type::Int,
                span,
            );
        }
    }

    fn product(&mut self) -> Result<Typed, ExprError> {
        let mut lhs = self.unary()?;
        while self.eat_op("*") {
            let rhs = self.unary()?;
            self.expect_type(&lhs, Type::Int, "arithmetic")?;
            self.expect_type(&rhs, Type::Int, "arithmetic")?;
            let span = lhs.2.start..rhs.2.end;
            lhs = (
                Expr::Bin(BinOp::Mul, Box::new(lhs.0), Box::new(rhs.0)),
                Type::Int,
                span,
            );
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Typed, ExprError> {
        let start = self.span().start;
        if self.eat_op("!") {
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            self.expect_type(&e, Type::Bool, "`!`")?;
            return Ok((Expr::Not(Box::new(e.0)), Type::Bool, start..e.2.end));
        }
        if self.eat_op("-") {
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            self.expect_type(&e, Type::Int, "`-`")?;
            let folded = match e.0 {
                Expr::Const(v) => Expr::Const(v.saturating_neg()),
                other => Expr::Neg(Box::new(other)),
            };
            return Ok((folded, Type::Int, start..e.2.end));
        }
        self.atom()
    }

    fn character_field(
        &mut self,
        ch: u32,
        name: &str,
        span: &Range<usize>,
    ) -> Result<Typed, ExprError> {
        if !matches!(self.peek(), Tok::Dot) {
            return Err(ExprError::new(
                format!("`{name}` is a character, not a value"),
                span.clone(),
            )
            .hint(format!("write `{name}.mood` or `{name}.trust`")));
        }
        self.bump();
        let (tok, fspan) = self.bump();
        let whole = span.start..fspan.end;
        match tok {
            Tok::Ident(f) if f == "mood" => Ok((Expr::Mood(ch), Type::Int, whole)),
            Tok::Ident(f) if f == "trust" => Ok((Expr::Trust(ch), Type::Int, whole)),
            _ => Err(
                ExprError::new("a character has only `mood` and `trust`", fspan)
                    .hint(format!("write `{name}.mood` or `{name}.trust`")),
            ),
        }
    }

    fn atom(&mut self) -> Result<Typed, ExprError> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Int(v) => Ok((Expr::Const(v), Type::Int, span)),
            Tok::LParen => {
                let inner = self.expr()?;
                let (close, cspan) = self.bump();
                if close != Tok::RParen {
                    return Err(ExprError::new("expected `)`", cspan)
                        .hint(format!("to close the `(` at offset {}", span.start)));
                }
                Ok((inner.0, inner.1, span.start..cspan.end))
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Ok((Expr::Const(1), Type::Bool, span)),
                "false" => Ok((Expr::Const(0), Type::Bool, span)),
                "visited" | "visits" if matches!(self.peek(), Tok::LParen) => {
                    self.bump();
                    let (arg, aspan) = self.bump();
                    let Tok::Ident(id) = arg else {
                        return Err(ExprError::new(
                            format!("`{name}` needs the id of a node or choice"),
                            aspan,
                        ));
                    };
                    let slot = self.resolver.visit_slot(&id).ok_or_else(|| {
                        let e =
                            ExprError::new(format!("unknown node or choice `{id}`"), aspan.clone());
                        match self.resolver.similar(&id) {
                            Some(s) => e.hint(format!("did you mean `{s}`?")),
                            None => e,
                        }
                    })?;
                    let (close, cspan) = self.bump();
                    if close != Tok::RParen {
                        return Err(ExprError::new("expected `)`", cspan));
                    }
                    let whole = span.start..cspan.end;
                    if name == "visited" {
                        Ok((Expr::Visited(slot), Type::Bool, whole))
                    } else {
                        Ok((Expr::Visits(slot), Type::Int, whole))
                    }
                }
                _ => match self.resolver.name(&name) {
                    Some(Name::Var(i, ty)) => Ok((Expr::Var(i), ty, span)),
                    Some(Name::Character(c)) => self.character_field(c, &name, &span),
                    None => {
                        let e = ExprError::new(format!("unknown name `{name}`"), span);
                        Err(match self.resolver.similar(&name) {
                            Some(s) => e.hint(format!("did you mean `{s}`?")),
                            None => e.hint("declare it under `variables`, or use a character's `.mood`/`.trust`"),
                        })
                    }
                },
            },
            Tok::End => {
                Err(ExprError::new("expression ends too early", span)
                    .hint("a value is missing here"))
            }
            other => Err(ExprError::new(
                format!("expected a value, found {}", describe(&other)),
                span,
            )),
        }
    }

    fn finish(&mut self) -> Result<(), ExprError> {
        match self.peek() {
            Tok::End => Ok(()),
            other => {
                let msg = format!(
                    "unexpected {} after the end of the expression",
                    describe(other)
                );
                Err(ExprError::new(msg, self.span()).hint("is an operator missing?"))
            }
        }
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Int(v) => format!("number `{v}`"),
        Tok::Ident(n) => format!("name `{n}`"),
        Tok::Op(o) => format!("`{o}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Dot => "`.`".into(),
        Tok::End => "the end".into(),
    }
}

fn parser<'r, R: Resolver>(src: &str, resolver: &'r R) -> Result<Parser<'r, R>, ExprError> {
    Ok(Parser {
        toks: lex(src)?,
        pos: 0,
        depth: 0,
        resolver,
    })
}

/// Parses a condition: an expression that must be boolean.
pub fn parse_condition(src: &str, resolver: &impl Resolver) -> Result<Expr, ExprError> {
    let mut p = parser(src, resolver)?;
    let e = p.expr()?;
    p.finish()?;
    if e.1 != Type::Bool {
        return Err(ExprError::new(
            "a condition must be true or false, but this is an integer",
            e.2,
        )
        .hint("compare it, e.g. `x > 0`"));
    }
    Ok(e.0)
}

/// Parses a value expression of any type (used by tests and tools).
pub fn parse_value(src: &str, resolver: &impl Resolver) -> Result<(Expr, Type), ExprError> {
    let mut p = parser(src, resolver)?;
    let e = p.expr()?;
    p.finish()?;
    Ok((e.0, e.1))
}

/// Parses an effect: `target = expr`, `target += expr` or `target -= expr`.
pub fn parse_effect(src: &str, resolver: &impl Resolver) -> Result<Effect, ExprError> {
    let mut p = parser(src, resolver)?;
    let (tok, span) = p.bump();
    let Tok::Ident(name) = tok else {
        return Err(
            ExprError::new("an effect starts with the name it changes", span)
                .hint("e.g. `zorgen += 1` or `moeder.trust -= 1`"),
        );
    };
    let (target, ty, tspan) = match resolver.name(&name) {
        Some(Name::Var(i, ty)) => (Target::Var(i), ty, span),
        Some(Name::Character(c)) => {
            let (e, _, s) = p.character_field(c, &name, &span)?;
            let t = match e {
                Expr::Mood(c) => Target::Mood(c),
                _ => Target::Trust(c),
            };
            (t, Type::Int, s)
        }
        None => {
            let e = ExprError::new(format!("unknown name `{name}`"), span);
            return Err(match resolver.similar(&name) {
                Some(s) => e.hint(format!("did you mean `{s}`?")),
                None => e.hint("declare it under `variables`"),
            });
        }
    };
    let (op_tok, op_span) = p.bump();
    let op = match op_tok {
        Tok::Op("=") => AssignOp::Set,
        Tok::Op("+=") => AssignOp::Add,
        Tok::Op("-=") => AssignOp::Sub,
        Tok::Op("==") => {
            return Err(ExprError::new("`==` compares; an effect assigns", op_span)
                .hint("write `=` to assign"));
        }
        _ => {
            return Err(ExprError::new("expected `=`, `+=` or `-=`", op_span)
                .hint("an effect looks like `zorgen += 1`"));
        }
    };
    let value = p.expr()?;
    p.finish()?;
    if op != AssignOp::Set && ty != Type::Int {
        return Err(ExprError::new(
            format!("`{name}` is a boolean; only integers can be increased or decreased"),
            tspan.start..op_span.end,
        )
        .hint(format!("write `{name} = true` or `{name} = false`")));
    }
    if value.1 != ty {
        return Err(ExprError::new(
            format!("`{name}` is {} but the value is {}", ty.a(), value.1.a()),
            value.2,
        ));
    }
    Ok(Effect {
        target,
        op,
        value: value.0,
    })
}

#[cfg(test)]
#[path = "expr_tests.rs"]
mod tests;

//! How a person looks and where they stand, as plain data (no Bevy): the look follows from the
//! character's id and kind, the same on every machine; the layout places the people present in
//! the scene's area. Both the figures (Bevy) and their name tags and speech balloon (egui) use it.

use crate::scenario::def::PersonKind;

/// An sRGB colour, 0–1 per channel.
pub type Rgb = [f32; 3];

/// Hair, as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hair {
    Short,
    Long,
    Bun,
    Curly,
    Bald,
}

/// A person's look: skin, hair and clothes, derived from the id (never from the name or role).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub skin: Rgb,
    pub hair: Rgb,
    pub hair_style: Hair,
    pub clothes: Rgb,
    pub glasses: bool,
}

const SKIN: [Rgb; 6] = [
    [0.98, 0.87, 0.78],
    [0.94, 0.79, 0.66],
    [0.87, 0.69, 0.53],
    [0.76, 0.57, 0.42],
    [0.58, 0.41, 0.29],
    [0.42, 0.29, 0.21],
];
const HAIR: [Rgb; 6] = [
    [0.12, 0.10, 0.09],
    [0.30, 0.20, 0.13],
    [0.52, 0.35, 0.20],
    [0.80, 0.66, 0.40],
    [0.62, 0.30, 0.16],
    [0.70, 0.70, 0.72],
];
const CLOTHES: [Rgb; 8] = [
    [0.27, 0.42, 0.62],
    [0.55, 0.30, 0.35],
    [0.30, 0.52, 0.42],
    [0.60, 0.50, 0.30],
    [0.42, 0.36, 0.58],
    [0.72, 0.45, 0.28],
    [0.35, 0.38, 0.42],
    [0.62, 0.62, 0.66],
];
const PROFESSIONAL: [Rgb; 4] = [
    [0.20, 0.24, 0.33],
    [0.28, 0.28, 0.30],
    [0.33, 0.27, 0.24],
    [0.18, 0.30, 0.32],
];

/// FNV-1a: a stable hash of the id, the same on every machine and build.
fn hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Look {
    /// The look of the character `id` of kind `kind`. Grey hair only on adults of 50 and over,
    /// or of no stated age.
    pub fn of(id: &str, kind: PersonKind, age: Option<u32>) -> Look {
        let h = hash(id);
        let pick = |shift: u32, n: usize| ((h >> shift) % n as u64) as usize;
        let styles = match kind {
            PersonKind::Baby => [
                Hair::Bald,
                Hair::Short,
                Hair::Bald,
                Hair::Short,
                Hair::Curly,
            ],
            PersonKind::Child | PersonKind::Teen => {
                [Hair::Short, Hair::Long, Hair::Bun, Hair::Curly, Hair::Long]
            }
            _ => [Hair::Short, Hair::Long, Hair::Bun, Hair::Curly, Hair::Short],
        };
        let mut hair = HAIR[pick(8, HAIR.len())];
        let may_be_grey = matches!(kind, PersonKind::Adult | PersonKind::Professional)
            && age.is_none_or(|a| a >= 50);
        if !may_be_grey && hair == HAIR[5] {
            hair = HAIR[2];
        }
        Look {
            skin: SKIN[pick(0, SKIN.len())],
            hair,
            hair_style: styles[pick(16, styles.len())],
            clothes: match kind {
                PersonKind::Professional => PROFESSIONAL[pick(24, PROFESSIONAL.len())],
                _ => CLOTHES[pick(24, CLOTHES.len())],
            },
            glasses: matches!(kind, PersonKind::Adult | PersonKind::Professional)
                && pick(32, 4) == 0,
        }
    }
}

/// Where a figure stands, in the scene's area: `x` from the left and `head_y` from the top as
/// shares of the area, the head's radius in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub x: f32,
    pub head_y: f32,
    pub head_r: f32,
    /// Width of the slot, as a share of the area.
    pub width: f32,
}

/// How big and how high a kind of person is, relative to an adult.
pub fn stature(kind: PersonKind) -> (f32, f32) {
    // (head size, how far below an adult's head the head is, as a share of the area's height)
    match kind {
        PersonKind::Baby => (0.62, 0.30),
        PersonKind::Child => (0.82, 0.17),
        PersonKind::Teen => (0.92, 0.07),
        PersonKind::Adult | PersonKind::Professional => (1.0, 0.0),
    }
}

/// Who holds the baby at `i`: the person listed just before it when that is a teenager or a
/// (family) adult, otherwise the first such person present; `None` for anyone else, and for a
/// baby with nobody to hold it.
pub fn carrier(kinds: &[PersonKind], i: usize) -> Option<usize> {
    let can = |k: PersonKind| matches!(k, PersonKind::Adult | PersonKind::Teen);
    if kinds[i] != PersonKind::Baby {
        return None;
    }
    if i > 0 && can(kinds[i - 1]) {
        return Some(i - 1);
    }
    kinds.iter().position(|&k| can(k))
}

/// Places `kinds` side by side in an area of `w` × `h` pixels; a baby is in the arms of a
/// parent or older child present (see [`carrier`]). On the phone the people stand in a call
/// frame on the right two fifths of the area.
pub fn layout(kinds: &[PersonKind], w: f32, h: f32, phone: bool) -> Vec<Slot> {
    let standing = (0..kinds.len())
        .filter(|&i| carrier(kinds, i).is_none())
        .count();
    let n = standing.max(1) as f32;
    let (left, span) = if phone { (0.58, 0.40) } else { (0.04, 0.92) };
    let width = span / n;
    let base_r = (h * 0.15).min(w * width * 0.30).max(4.0) * if phone { 0.85 } else { 1.0 };
    let mut out = vec![
        Slot {
            x: 0.0,
            head_y: 0.0,
            head_r: 0.0,
            width: 0.0
        };
        kinds.len()
    ];
    let mut k = 0.0;
    for (i, &kind) in kinds.iter().enumerate() {
        if carrier(kinds, i).is_none() {
            let (size, lower) = stature(kind);
            out[i] = Slot {
                x: left + width * (k + 0.5),
                head_y: 0.40 + lower,
                head_r: base_r * size,
                width,
            };
            k += 1.0;
        }
    }
    for (i, &kind) in kinds.iter().enumerate() {
        if let Some(c) = carrier(kinds, i) {
            let held = out[c];
            out[i] = Slot {
                x: held.x + 1.05 * held.head_r / w.max(1.0),
                head_y: held.head_y + 1.9 * held.head_r / h.max(1.0),
                head_r: base_r * stature(kind).0,
                width: 0.0,
            };
        }
    }
    out
}

/// The first part of a role, for a name tag: "moeder van Mees en Noor, 31 jaar; depressie"
/// gives "moeder van Mees en Noor".
pub fn short_role(role: &str) -> &str {
    role.split([';', ',', '(']).next().unwrap_or(role).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_are_stable_and_differ() {
        let a = Look::of("mila", PersonKind::Child, Some(7));
        assert_eq!(a, Look::of("mila", PersonKind::Child, Some(7)));
        // No grey hair at 31 (this id draws grey when no age is given).
        let grey = (0..40)
            .map(|i| format!("p{i}"))
            .find(|id| Look::of(id, PersonKind::Adult, None).hair == HAIR[5])
            .unwrap();
        assert_ne!(Look::of(&grey, PersonKind::Adult, Some(31)).hair, HAIR[5]);
        assert_eq!(Look::of(&grey, PersonKind::Adult, Some(70)).hair, HAIR[5]);
        let ids = [
            "mila", "rick", "ilse", "joost", "sanne", "dennis", "noor", "mees",
        ];
        let distinct: std::collections::HashSet<String> = ids
            .iter()
            .map(|id| format!("{:?}", Look::of(id, PersonKind::Adult, None)))
            .collect();
        assert!(distinct.len() >= 6, "{distinct:?}");
        // FNV-1a of "a": a fixed value, so a look never changes between builds or machines.
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn children_are_smaller_and_lower_than_adults() {
        use PersonKind::*;
        let s = layout(&[Adult, Child, Teen], 900.0, 200.0, false);
        assert!(s[1].head_r < s[0].head_r && s[1].head_y > s[0].head_y);
        assert!(s[2].head_r < s[0].head_r && s[2].head_r > s[1].head_r);
        assert!(s.windows(2).all(|p| p[0].x < p[1].x));
        // A baby is in the arms of the parent listed before it: beside and below their head,
        // taking no place of its own.
        let arms = layout(&[Adult, Baby, Child], 900.0, 200.0, false);
        assert!(arms[1].x > arms[0].x && arms[1].x - arms[0].x < 0.1);
        assert!(arms[1].head_y > arms[0].head_y && arms[1].width == 0.0);
        assert!(arms[1].head_r < arms[2].head_r);
        assert_eq!(arms[2].x, 0.04 + 0.46 * 1.5, "two people stand, not three");
        // After a child, the first adult holds it; with nobody to hold it, it has its own place.
        assert_eq!(carrier(&[Adult, Child, Baby], 2), Some(0));
        assert_eq!(carrier(&[Child, Baby, Professional], 1), None);
        let phone = layout(&[Adult], 900.0, 200.0, true);
        assert!(phone[0].x > 0.5);
    }

    #[test]
    fn short_roles() {
        assert_eq!(
            short_role("moeder van Mees en Noor, 31 jaar; depressie"),
            "moeder van Mees en Noor"
        );
        assert_eq!(short_role("IB'er"), "IB'er");
    }
}

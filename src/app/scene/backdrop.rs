//! The places the scene draws, as plain shapes (no Bevy): each backdrop is a list of rectangles
//! and ellipses in the unit square (x from the left, y from the top), with a colour at the top
//! and one at the bottom for gradients. Shapes marked `front` stand before the people (a table
//! edge, a dashboard). At night walls darken, windows show the night sky and lamps glow.

use super::look::Rgb;
use crate::scenario::def::Backdrop;

/// The form of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Rect,
    Ellipse,
}

/// One shape of a backdrop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub form: Form,
    /// Left, top, right, bottom in the unit square.
    pub rect: [f32; 4],
    pub top: Rgb,
    pub bottom: Rgb,
    /// Opacity, 0–1.
    pub alpha: f32,
    /// Drawn before the people.
    pub front: bool,
}

fn rect(rect: [f32; 4], c: Rgb) -> Shape {
    Shape {
        form: Form::Rect,
        rect,
        top: c,
        bottom: c,
        alpha: 1.0,
        front: false,
    }
}

fn grad(rect: [f32; 4], top: Rgb, bottom: Rgb) -> Shape {
    Shape {
        top,
        bottom,
        ..self::rect(rect, top)
    }
}

fn oval(r: [f32; 4], c: Rgb) -> Shape {
    Shape {
        form: Form::Ellipse,
        ..rect(r, c)
    }
}

fn front(mut s: Shape) -> Shape {
    s.front = true;
    s
}

fn glow(r: [f32; 4], c: Rgb, alpha: f32) -> Shape {
    Shape {
        alpha,
        ..oval(r, c)
    }
}

/// A window with its sky, frame and sill.
fn window(out: &mut Vec<Shape>, r: [f32; 4], night: bool) {
    let frame = [0.95, 0.95, 0.93];
    out.push(rect(
        [r[0] - 0.008, r[1] - 0.015, r[2] + 0.008, r[3] + 0.015],
        frame,
    ));
    if night {
        out.push(grad(r, [0.05, 0.07, 0.16], [0.12, 0.14, 0.28]));
        out.push(oval(
            [r[2] - 0.05, r[1] + 0.06, r[2] - 0.025, r[1] + 0.16],
            [0.95, 0.93, 0.80],
        ));
    } else {
        out.push(grad(r, [0.55, 0.75, 0.93], [0.80, 0.89, 0.96]));
        out.push(oval(
            [r[0] + 0.02, r[3] - 0.22, r[0] + 0.10, r[3] - 0.02],
            [0.55, 0.72, 0.50],
        ));
    }
    let mid = (r[0] + r[2]) / 2.0;
    out.push(rect([mid - 0.004, r[1], mid + 0.004, r[3]], frame));
}

/// A ceiling or standing lamp: a shade, and at night its glow.
fn lamp(out: &mut Vec<Shape>, x: f32, y: f32, night: bool) {
    if night {
        out.push(glow(
            [x - 0.14, y - 0.25, x + 0.14, y + 0.45],
            [1.0, 0.85, 0.55],
            0.22,
        ));
    }
    out.push(rect([x - 0.002, 0.0, x + 0.002, y], [0.3, 0.3, 0.3]));
    out.push(oval(
        [x - 0.035, y - 0.03, x + 0.035, y + 0.05],
        [0.98, 0.90, 0.70],
    ));
}

/// The shapes of `backdrop`, lit by day or by night.
pub fn shapes(backdrop: Backdrop, night: bool) -> Vec<Shape> {
    let mut s = Vec::new();
    let wall = |day: Rgb| -> (Rgb, Rgb) {
        if night {
            let d = [day[0] * 0.45, day[1] * 0.45, day[2] * 0.55];
            (d, [d[0] * 0.8, d[1] * 0.8, d[2] * 0.85])
        } else {
            (day, [day[0] * 0.93, day[1] * 0.93, day[2] * 0.93])
        }
    };
    let dim = |c: Rgb| -> Rgb {
        if night {
            [c[0] * 0.55, c[1] * 0.55, c[2] * 0.6]
        } else {
            c
        }
    };
    let backwall = |s: &mut Vec<Shape>, day: Rgb, floor: Rgb| {
        let (t, b) = wall(day);
        s.push(grad([0.0, 0.0, 1.0, 0.78], t, b));
        s.push(grad(
            [0.0, 0.78, 1.0, 1.0],
            dim(floor),
            dim([floor[0] * 0.8, floor[1] * 0.8, floor[2] * 0.8]),
        ));
    };
    match backdrop {
        Backdrop::Kitchen => {
            backwall(&mut s, [0.96, 0.92, 0.84], [0.62, 0.50, 0.38]);
            for k in 0..5 {
                let x = 0.05 + k as f32 * 0.09;
                s.push(rect([x, 0.08, x + 0.08, 0.30], dim([0.78, 0.84, 0.80])));
            }
            s.push(rect([0.04, 0.52, 0.50, 0.78], dim([0.78, 0.84, 0.80])));
            s.push(rect([0.04, 0.50, 0.50, 0.54], dim([0.55, 0.55, 0.55])));
            window(&mut s, [0.62, 0.12, 0.90, 0.48], night);
            lamp(&mut s, 0.55, 0.12, night);
            s.push(front(grad(
                [0.0, 0.88, 1.0, 1.0],
                dim([0.72, 0.55, 0.38]),
                dim([0.58, 0.43, 0.30]),
            )));
        }
        Backdrop::LivingRoom => {
            backwall(&mut s, [0.90, 0.88, 0.92], [0.55, 0.42, 0.32]);
            window(&mut s, [0.06, 0.10, 0.30, 0.50], night);
            s.push(rect([0.03, 0.06, 0.07, 0.60], dim([0.72, 0.42, 0.40])));
            s.push(rect([0.29, 0.06, 0.33, 0.60], dim([0.72, 0.42, 0.40])));
            s.push(rect([0.62, 0.14, 0.80, 0.34], dim([0.45, 0.50, 0.60])));
            s.push(rect([0.635, 0.16, 0.785, 0.32], dim([0.80, 0.72, 0.55])));
            s.push(rect([0.10, 0.55, 0.95, 0.80], dim([0.45, 0.52, 0.58])));
            s.push(rect([0.08, 0.50, 0.14, 0.80], dim([0.40, 0.47, 0.53])));
            s.push(rect([0.91, 0.50, 0.97, 0.80], dim([0.40, 0.47, 0.53])));
            lamp(&mut s, 0.88, 0.20, night);
            s.push(front(rect(
                [0.20, 0.90, 0.80, 1.0],
                dim([0.50, 0.36, 0.25]),
            )));
        }
        Backdrop::School => {
            backwall(&mut s, [0.93, 0.93, 0.86], [0.70, 0.66, 0.58]);
            s.push(rect([0.08, 0.10, 0.52, 0.52], [0.55, 0.45, 0.30]));
            s.push(rect([0.09, 0.12, 0.51, 0.50], [0.20, 0.36, 0.28]));
            for (k, c) in [
                [0.95, 0.55, 0.45],
                [0.55, 0.75, 0.95],
                [0.95, 0.85, 0.45],
                [0.60, 0.85, 0.55],
            ]
            .iter()
            .enumerate()
            {
                let x = 0.60 + k as f32 * 0.085;
                s.push(rect([x, 0.14, x + 0.07, 0.28], dim(*c)));
            }
            s.push(oval([0.86, 0.34, 0.93, 0.48], [0.97, 0.97, 0.97]));
            s.push(rect([0.60, 0.40, 0.80, 0.78], dim([0.62, 0.46, 0.30])));
            for k in 0..3 {
                let y = 0.46 + k as f32 * 0.10;
                s.push(rect([0.61, y, 0.79, y + 0.012], dim([0.45, 0.32, 0.20])));
            }
            s.push(front(rect([0.0, 0.89, 1.0, 1.0], dim([0.82, 0.70, 0.52]))));
        }
        Backdrop::Office => {
            backwall(&mut s, [0.90, 0.92, 0.95], [0.48, 0.50, 0.55]);
            window(&mut s, [0.58, 0.08, 0.94, 0.50], night);
            for k in 0..8 {
                let y = 0.10 + k as f32 * 0.05;
                s.push(Shape {
                    alpha: 0.35,
                    ..rect([0.58, y, 0.94, y + 0.012], [0.95, 0.95, 0.95])
                });
            }
            s.push(rect([0.06, 0.14, 0.30, 0.40], dim([0.98, 0.98, 0.96])));
            for k in 0..4 {
                let y = 0.18 + k as f32 * 0.05;
                s.push(rect([0.08, y, 0.26, y + 0.012], dim([0.55, 0.60, 0.70])));
            }
            s.push(rect([0.02, 0.58, 0.07, 0.78], dim([0.55, 0.40, 0.30])));
            s.push(oval([0.0, 0.42, 0.09, 0.62], dim([0.30, 0.55, 0.32])));
            if night {
                lamp(&mut s, 0.45, 0.10, night);
            }
            s.push(front(rect([0.0, 0.87, 1.0, 1.0], dim([0.60, 0.62, 0.66]))));
            s.push(front(rect(
                [0.05, 0.80, 0.16, 0.88],
                dim([0.20, 0.22, 0.25]),
            )));
        }
        Backdrop::Meeting => {
            backwall(&mut s, [0.92, 0.93, 0.90], [0.50, 0.52, 0.50]);
            window(&mut s, [0.06, 0.10, 0.36, 0.48], night);
            s.push(rect([0.78, 0.10, 0.92, 0.60], dim([0.98, 0.98, 0.98])));
            s.push(rect([0.80, 0.16, 0.90, 0.18], dim([0.30, 0.45, 0.75])));
            s.push(rect([0.80, 0.22, 0.88, 0.24], dim([0.75, 0.35, 0.30])));
            s.push(rect([0.84, 0.60, 0.86, 0.78], dim([0.35, 0.35, 0.35])));
            s.push(oval([0.55, 0.10, 0.62, 0.24], [0.97, 0.97, 0.97]));
            lamp(&mut s, 0.46, 0.10, night);
            s.push(front(oval(
                [0.02, 0.82, 0.98, 1.12],
                dim([0.62, 0.48, 0.34]),
            )));
        }
        Backdrop::Car => {
            let (sky_t, sky_b) = if night {
                ([0.04, 0.05, 0.12], [0.10, 0.11, 0.22])
            } else {
                ([0.55, 0.74, 0.92], [0.82, 0.88, 0.94])
            };
            s.push(grad([0.0, 0.0, 1.0, 0.62], sky_t, sky_b));
            s.push(grad(
                [0.0, 0.50, 1.0, 0.80],
                dim([0.40, 0.55, 0.38]),
                dim([0.33, 0.46, 0.32]),
            ));
            s.push(rect([0.40, 0.55, 0.60, 0.80], dim([0.35, 0.35, 0.38])));
            s.push(rect([0.0, 0.0, 1.0, 0.06], [0.15, 0.15, 0.17]));
            s.push(rect([0.0, 0.0, 0.05, 1.0], [0.18, 0.18, 0.20]));
            s.push(rect([0.95, 0.0, 1.0, 1.0], [0.18, 0.18, 0.20]));
            if night {
                s.push(glow([0.35, 0.58, 0.65, 0.86], [1.0, 0.95, 0.70], 0.25));
            }
            s.push(front(grad(
                [0.0, 0.84, 1.0, 1.0],
                [0.22, 0.22, 0.25],
                [0.12, 0.12, 0.14],
            )));
            s.push(front(oval([0.08, 0.76, 0.30, 1.05], [0.10, 0.10, 0.12])));
        }
        Backdrop::Street => {
            let (sky_t, sky_b) = if night {
                ([0.03, 0.04, 0.12], [0.14, 0.13, 0.25])
            } else {
                ([0.58, 0.76, 0.93], [0.85, 0.90, 0.95])
            };
            s.push(grad([0.0, 0.0, 1.0, 0.75], sky_t, sky_b));
            for (k, (x0, x1, top)) in [
                (0.0, 0.22, 0.18),
                (0.24, 0.46, 0.30),
                (0.50, 0.74, 0.10),
                (0.76, 1.0, 0.26),
            ]
            .iter()
            .enumerate()
            {
                let c = dim([0.62 + 0.04 * k as f32, 0.52, 0.46]);
                s.push(rect([*x0, *top, *x1, 0.78], c));
                for row in 0..3 {
                    for col in 0..3 {
                        let wx = x0 + 0.02 + col as f32 * (x1 - x0 - 0.02) / 3.0;
                        let wy = top + 0.06 + row as f32 * 0.14;
                        let lit = night && (k + row + col) % 3 != 0;
                        let c = if lit {
                            [1.0, 0.86, 0.50]
                        } else {
                            dim([0.70, 0.80, 0.88])
                        };
                        s.push(rect([wx, wy, wx + 0.035, wy + 0.07], c));
                    }
                }
            }
            s.push(rect([0.0, 0.78, 1.0, 1.0], dim([0.55, 0.55, 0.56])));
            s.push(rect([0.88, 0.12, 0.895, 0.90], [0.20, 0.20, 0.22]));
            if night {
                s.push(glow([0.78, 0.05, 1.0, 0.60], [1.0, 0.88, 0.55], 0.25));
            }
            s.push(oval([0.865, 0.08, 0.92, 0.16], [0.98, 0.92, 0.70]));
        }
        Backdrop::Court => {
            backwall(&mut s, [0.80, 0.68, 0.52], [0.45, 0.34, 0.24]);
            for k in 0..8 {
                let x = k as f32 * 0.125;
                s.push(rect([x, 0.0, x + 0.006, 0.78], dim([0.55, 0.42, 0.30])));
            }
            s.push(oval([0.45, 0.06, 0.55, 0.26], dim([0.85, 0.72, 0.30])));
            s.push(rect([0.20, 0.44, 0.80, 0.78], dim([0.48, 0.33, 0.22])));
            s.push(rect([0.18, 0.42, 0.82, 0.46], dim([0.38, 0.25, 0.16])));
            s.push(front(rect([0.0, 0.89, 1.0, 1.0], dim([0.55, 0.40, 0.27]))));
        }
        Backdrop::Hospital => {
            backwall(&mut s, [0.86, 0.93, 0.90], [0.70, 0.74, 0.74]);
            s.push(rect([0.04, 0.06, 0.30, 0.78], dim([0.72, 0.82, 0.90])));
            for k in 0..6 {
                let x = 0.05 + k as f32 * 0.045;
                s.push(rect([x, 0.06, x + 0.006, 0.78], dim([0.62, 0.72, 0.80])));
            }
            s.push(rect([0.76, 0.14, 0.92, 0.34], [0.15, 0.18, 0.20]));
            s.push(rect([0.78, 0.22, 0.90, 0.23], [0.35, 0.90, 0.50]));
            lamp(&mut s, 0.55, 0.08, night);
            s.push(front(rect([0.0, 0.90, 1.0, 1.0], dim([0.92, 0.94, 0.95]))));
            s.push(front(rect([0.0, 0.87, 1.0, 0.90], dim([0.70, 0.72, 0.75]))));
        }
    }
    s
}

/// The frame in which the people on the phone appear, over the right of the place.
pub fn call_frame() -> Shape {
    Shape {
        alpha: 0.88,
        ..grad(
            [0.575, 0.03, 0.985, 0.97],
            [0.20, 0.30, 0.36],
            [0.12, 0.18, 0.22],
        )
    }
}

/// The plain wall shown when no node has named a place.
pub fn plain() -> Vec<Shape> {
    vec![grad(
        [0.0, 0.0, 1.0, 1.0],
        [0.88, 0.90, 0.93],
        [0.80, 0.83, 0.87],
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Backdrop; 9] = [
        Backdrop::Kitchen,
        Backdrop::LivingRoom,
        Backdrop::School,
        Backdrop::Office,
        Backdrop::Meeting,
        Backdrop::Car,
        Backdrop::Street,
        Backdrop::Court,
        Backdrop::Hospital,
    ];

    #[test]
    fn every_backdrop_fills_the_area_and_night_is_darker() {
        for b in ALL {
            for night in [false, true] {
                let s = shapes(b, night);
                let first = s[0];
                assert_eq!(
                    first.rect[0..2],
                    [0.0, 0.0],
                    "{b:?} starts with a full wall or sky"
                );
                assert!(
                    s.iter()
                        .all(|x| x.rect[0] < x.rect[2] && x.rect[1] < x.rect[3])
                );
            }
            let lum = |s: &Shape| s.top.iter().sum::<f32>();
            assert!(
                lum(&shapes(b, true)[0]) < lum(&shapes(b, false)[0]),
                "{b:?}"
            );
        }
        let distinct: std::collections::HashSet<String> = ALL
            .iter()
            .map(|b| format!("{:?}", shapes(*b, false)))
            .collect();
        assert_eq!(distinct.len(), ALL.len());
    }
}

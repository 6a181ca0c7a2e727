//! Every screen rendered in a real window under Xvfb with software Vulkan, saved as PNG, and
//! looked at: not blank, and the play screen shows the Bevy-drawn figures.
//!
//! Needs `xvfb-run` and Mesa's Vulkan driver (`apt-get install xvfb mesa-vulkan-drivers`);
//! `.ci/run` installs them. Without them the test fails and says so.
#![cfg(feature = "desktop")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn shoot(name: &str, args: &[&str]) -> (u32, u32, Vec<u8>) {
    let dir = std::env::temp_dir().join(format!("casus-shots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join(format!("data-{name}"));
    let _ = std::fs::remove_dir_all(&data);
    let png = dir.join(format!("{name}.png"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg(env!("CARGO_BIN_EXE_casus"))
        .args([
            "--scenarios",
            root.join("tests/fixtures").to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ])
        .args(["app", "--screenshot", png.to_str().unwrap()])
        .args(args)
        .output()
        .expect("xvfb-run is needed for this test: apt-get install xvfb mesa-vulkan-drivers");
    assert!(
        out.status.success(),
        "{name}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if let Ok(keep) = std::env::var("CASUS_KEEP_SCREENSHOTS") {
        let _ = std::fs::copy(&png, Path::new(&keep).join(format!("{name}.png")));
    }
    decode(&png)
}

fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert!(matches!(
        info.color_type,
        png::ColorType::Rgb | png::ColorType::Rgba
    ));
    let ch = if info.color_type == png::ColorType::Rgb {
        3
    } else {
        4
    };
    let rgb = buf[..info.buffer_size()]
        .chunks(ch)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// Distinct colours in a region: a blank or single-colour picture has very few.
fn colours(img: &(u32, u32, Vec<u8>), x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let (w, _, px) = img;
    let mut set = std::collections::HashSet::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let i = ((y * w + x) * 3) as usize;
            set.insert((px[i] >> 3, px[i + 1] >> 3, px[i + 2] >> 3));
        }
    }
    set.len()
}

fn has_colour(
    img: &(u32, u32, Vec<u8>),
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
    pred: impl Fn(u8, u8, u8) -> bool,
) -> bool {
    let (w, _, px) = img;
    (y0..y1).any(|y| {
        (x0..x1).any(|x| {
            let i = ((y * w + x) * 3) as usize;
            pred(px[i], px[i + 1], px[i + 2])
        })
    })
}

#[test]
fn every_screen_renders_with_its_content() {
    for (name, args) in [
        ("profiles", vec!["--screen", "profiles"]),
        ("library", vec!["--screen", "library"]),
        (
            "play",
            vec!["--screen", "play", "--scenario", "mini", "--choices", "2"],
        ),
        (
            "debrief",
            vec![
                "--screen",
                "debrief",
                "--scenario",
                "mini",
                "--choices",
                "2,2",
            ],
        ),
        (
            "progress",
            vec!["--screen", "progress", "--scenario", "mini"],
        ),
    ] {
        let img = shoot(name, &args);
        assert_eq!((img.0, img.1), (1280, 800), "{name}");
        assert!(
            colours(&img, 0, 0, 1280, 800) > 20,
            "{name}: the picture is blank"
        );
        if name == "play" {
            // The scene sits right of the case file, above the narrative: the school's green
            // board, and Mila and her mother, each with the skin their id gives them.
            assert!(
                colours(&img, 300, 60, 1280, 300) > 8,
                "play: the scene is empty"
            );
            let near = |c: [f32; 3]| {
                let t = c.map(|v| (v * 255.0).round() as i32);
                move |r: u8, g: u8, b: u8| {
                    (i32::from(r) - t[0]).abs() <= 4
                        && (i32::from(g) - t[1]).abs() <= 4
                        && (i32::from(b) - t[2]).abs() <= 4
                }
            };
            assert!(
                has_colour(&img, 300, 60, 1280, 300, near([0.20, 0.36, 0.28])),
                "play: no school board in the scene"
            );
            use casus::app::scene::look::Look;
            use casus::scenario::def::PersonKind;
            for (id, kind, age) in [
                ("mila", PersonKind::Child, Some(6)),
                ("moeder", PersonKind::Adult, None),
            ] {
                assert!(
                    has_colour(&img, 300, 60, 1280, 300, near(Look::of(id, kind, age).skin)),
                    "play: {id} is not in the scene"
                );
            }
        }
    }
}

//! Active liveness for check-ins: the challenge names a random sequence of head poses ("look
//! straight, then turn your head left"), the app sends one photo per pose, and the server
//! checks the head really turned. The measure is the nose tip's offset from the eye midline,
//! as a share of the eye distance (`yaw`): a real head turning moves the nose, which stands in
//! front of the eyes, further sideways than the eyes; a flat photo turned in the hand only
//! foreshortens, and the nose stays on the midline.
//!
//! Frames are read as the camera sees them (not the mirrored preview): "left" is the person's
//! left, the side of the left-eye keypoint.

use serde::{Deserialize, Serialize};

use crate::model::string_enum;

string_enum! {
    /// A head pose the supervisee is asked to hold for one frame.
    Pose {
        Straight = "straight",
        TurnLeft = "turn_left",
        TurnRight = "turn_right",
    }
}

string_enum! {
    /// `poses`: every check-in proves a live head with a pose sequence; `single_photo`: one
    /// selfie, matched and hash-checked only (a jurisdiction's choice, e.g. for old phones).
    LivenessMode {
        Poses = "poses",
        SinglePhoto = "single_photo",
    }
}

/// A jurisdiction's liveness rules (`[rules.liveness]`, served at `GET /rules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LivenessRules {
    pub mode: LivenessMode,
    /// Turns asked after the straight photo (1 or 2).
    pub turns: u8,
    /// A straight face: the nose within this share (percent of the eye distance) of the eye
    /// midline.
    pub straight_max_yaw_pct: u16,
    /// A turned face: the nose at least this share off the midline, towards the side asked,
    /// and moved at least as much from where it was in the straight photo.
    pub turn_min_yaw_pct: u16,
}

impl Default for LivenessRules {
    fn default() -> Self {
        LivenessRules {
            mode: LivenessMode::Poses,
            turns: 1,
            straight_max_yaw_pct: 10,
            turn_min_yaw_pct: 15,
        }
    }
}

impl LivenessRules {
    /// What a configuration must hold: 1 or 2 turns, and a turn clearly beyond straight.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_TURNS).contains(&self.turns) {
            return Err(format!("turns must be 1 to {MAX_TURNS}"));
        }
        if self.turn_min_yaw_pct <= self.straight_max_yaw_pct || self.turn_min_yaw_pct > 100 {
            return Err(
                "turn_min_yaw_pct must exceed straight_max_yaw_pct and be at most 100".into(),
            );
        }
        Ok(())
    }
}

/// The most turns a challenge asks for (and so frames a check-in carries beyond the photo).
pub const MAX_TURNS: u8 = 2;

/// The nose tip's signed offset from the eye midline, along the eye axis, as a share of the
/// eye distance: 0 for a face looking straight, positive turned towards its left eye.
/// `None` when the eyes coincide (no face to measure).
pub fn yaw(right_eye: [f32; 2], left_eye: [f32; 2], nose: [f32; 2]) -> Option<f32> {
    let axis = [left_eye[0] - right_eye[0], left_eye[1] - right_eye[1]];
    let d2 = axis[0] * axis[0] + axis[1] * axis[1];
    // Eyes on one point, or a NaN from a broken detection: nothing to measure.
    if d2.is_nan() || d2 <= 1e-6 {
        return None;
    }
    let mid = [
        (left_eye[0] + right_eye[0]) / 2.0,
        (left_eye[1] + right_eye[1]) / 2.0,
    ];
    let off = [nose[0] - mid[0], nose[1] - mid[1]];
    Some((off[0] * axis[0] + off[1] * axis[1]) / d2)
}

/// The poses a new challenge asks for: straight first (the photo that is matched and kept),
/// then `turns` turns; two turns go both ways, in random order. `roll` answers a fair coin.
/// In single-photo mode: straight only.
pub fn draw_poses(rules: &LivenessRules, mut roll: impl FnMut() -> bool) -> Vec<Pose> {
    let mut poses = vec![Pose::Straight];
    if rules.mode == LivenessMode::SinglePhoto {
        return poses;
    }
    let first = if roll() {
        Pose::TurnLeft
    } else {
        Pose::TurnRight
    };
    poses.push(first);
    if rules.turns.clamp(1, MAX_TURNS) == 2 {
        poses.push(if first == Pose::TurnLeft {
            Pose::TurnRight
        } else {
            Pose::TurnLeft
        });
    }
    poses
}

/// The pose a frame shows, by the rules' thresholds; `None` between straight and turned.
pub fn seen_pose(rules: &LivenessRules, yaw: f32) -> Option<Pose> {
    let (straight, turned) = (
        f32::from(rules.straight_max_yaw_pct) / 100.0,
        f32::from(rules.turn_min_yaw_pct) / 100.0,
    );
    if yaw.abs() <= straight {
        Some(Pose::Straight)
    } else if yaw >= turned {
        Some(Pose::TurnLeft)
    } else if yaw <= -turned {
        Some(Pose::TurnRight)
    } else {
        None
    }
}

/// Why a frame did not show its pose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoseNotMet {
    /// Index into the poses (0 is the straight photo).
    pub frame: usize,
    pub expected: Pose,
    /// What the frame shows instead (`None`: in between, or no measure).
    pub seen: Option<Pose>,
}

/// Checks each frame's yaw against the pose asked for it. A turn counts only when the nose is
/// off the midline towards the side asked *and* moved that far from the straight photo, so a
/// straight photo already a little turned cannot stand in for both.
pub fn check_poses(
    rules: &LivenessRules,
    expected: &[Pose],
    yaws: &[Option<f32>],
) -> Result<(), PoseNotMet> {
    let turned = f32::from(rules.turn_min_yaw_pct) / 100.0;
    let straight = yaws.first().copied().flatten();
    for (frame, (&pose, &y)) in expected.iter().zip(yaws).enumerate() {
        let seen = y.and_then(|y| seen_pose(rules, y));
        let met = match (pose, y, straight) {
            (Pose::Straight, Some(_), _) => seen == Some(Pose::Straight),
            (Pose::TurnLeft, Some(y), Some(s)) => y >= turned && y - s >= turned,
            (Pose::TurnRight, Some(y), Some(s)) => y <= -turned && s - y >= turned,
            _ => false,
        };
        if !met {
            return Err(PoseNotMet {
                frame,
                expected: pose,
                seen,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eyes 60 px apart on a level line; the nose `off` px towards the left eye, 40 px down.
    fn face(off: f32) -> Option<f32> {
        yaw([100.0, 100.0], [160.0, 100.0], [130.0 + off, 140.0])
    }

    #[test]
    fn yaw_is_the_nose_offset_in_eye_distances() {
        assert_eq!(face(0.0), Some(0.0));
        assert!((face(15.0).unwrap() - 0.25).abs() < 1e-6);
        assert!((face(-6.0).unwrap() + 0.1).abs() < 1e-6);
        // Rotating and scaling the whole picture changes nothing (a tilted phone).
        let r = |p: [f32; 2]| {
            let (s, c) = 0.5f32.sin_cos();
            [2.0 * (c * p[0] - s * p[1]), 2.0 * (s * p[0] + c * p[1])]
        };
        let tilted = yaw(r([100.0, 100.0]), r([160.0, 100.0]), r([145.0, 140.0])).unwrap();
        assert!((tilted - 0.25).abs() < 1e-5);
        assert_eq!(yaw([1.0, 1.0], [1.0, 1.0], [3.0, 3.0]), None);
    }

    /// A flat photo turned in the hand by θ about a vertical axis: seen from afar, every x
    /// shrinks by cos θ, the eyes and the nose alike, so the nose stays on the midline.
    #[test]
    fn a_flat_photo_turned_in_the_hand_keeps_its_yaw() {
        for deg in [15.0f32, 30.0, 45.0, 60.0] {
            let c = deg.to_radians().cos();
            let squeeze = |p: [f32; 2]| [130.0 + (p[0] - 130.0) * c, p[1]];
            let y = yaw(
                squeeze([100.0, 100.0]),
                squeeze([160.0, 100.0]),
                squeeze([131.0, 140.0]),
            )
            .unwrap();
            assert!((y - 1.0 / 60.0).abs() < 1e-5, "{deg}°: {y}");
            assert_eq!(
                seen_pose(&LivenessRules::default(), y),
                Some(Pose::Straight)
            );
        }
    }

    /// A real head, seen from above: eyes at ±e on the face, the nose tip d in front of them.
    /// Turned by θ the nose moves by d·sin θ from the eyes' midpoint, the eye distance
    /// shrinks to 2e·cos θ: yaw = d/(2e)·tan θ. With d = 0.45·2e (a nose 2.8 cm in front of
    /// eyes 6.3 cm apart), a 20° turn reads 0.16 and passes; a 13° one (0.10) does not.
    #[test]
    fn a_real_head_turn_reaches_the_threshold_from_about_twenty_degrees() {
        let rules = LivenessRules::default();
        let head = |deg: f32| {
            let (s, c) = deg.to_radians().sin_cos();
            let (e, d) = (30.0, 27.0);
            yaw(
                [130.0 - e * c, 100.0],
                [130.0 + e * c, 100.0],
                [130.0 + d * s, 140.0],
            )
            .unwrap()
        };
        assert_eq!(seen_pose(&rules, head(0.0)), Some(Pose::Straight));
        assert_eq!(seen_pose(&rules, head(13.0)), None);
        assert_eq!(seen_pose(&rules, head(20.0)), Some(Pose::TurnLeft));
        assert_eq!(seen_pose(&rules, head(-25.0)), Some(Pose::TurnRight));
        let ok = check_poses(
            &rules,
            &[Pose::Straight, Pose::TurnLeft, Pose::TurnRight],
            &[Some(head(2.0)), Some(head(22.0)), Some(head(-22.0))],
        );
        assert_eq!(ok, Ok(()));
    }

    #[test]
    fn each_frame_must_show_its_own_pose() {
        let rules = LivenessRules::default();
        let asked = [Pose::Straight, Pose::TurnLeft];
        // The wrong way.
        assert_eq!(
            check_poses(&rules, &asked, &[Some(0.0), Some(-0.3)]),
            Err(PoseNotMet {
                frame: 1,
                expected: Pose::TurnLeft,
                seen: Some(Pose::TurnRight)
            })
        );
        // Not turned (a print turned in the hand).
        assert_eq!(
            check_poses(&rules, &asked, &[Some(0.02), Some(0.03)])
                .unwrap_err()
                .seen,
            Some(Pose::Straight)
        );
        // A "straight" photo that is itself turned.
        assert_eq!(
            check_poses(&rules, &asked, &[Some(0.2), Some(0.3)])
                .unwrap_err()
                .frame,
            0
        );
        // Off the midline but hardly moved from an almost-turned straight photo.
        assert_eq!(
            check_poses(&rules, &asked, &[Some(0.09), Some(0.2)])
                .unwrap_err()
                .frame,
            1
        );
        // No measure (no face found in a frame).
        assert!(check_poses(&rules, &asked, &[Some(0.0), None]).is_err());
        assert_eq!(
            check_poses(&rules, &asked, &[Some(0.01), Some(0.2)]),
            Ok(())
        );
    }

    #[test]
    fn poses_start_straight_and_turn_each_way_at_most_once() {
        let mut rules = LivenessRules::default();
        let mut flips = [true, false].into_iter().cycle();
        assert_eq!(
            draw_poses(&rules, || flips.next().unwrap()),
            [Pose::Straight, Pose::TurnLeft]
        );
        assert_eq!(
            draw_poses(&rules, || flips.next().unwrap()),
            [Pose::Straight, Pose::TurnRight]
        );
        rules.turns = 2;
        assert_eq!(
            draw_poses(&rules, || false),
            [Pose::Straight, Pose::TurnRight, Pose::TurnLeft]
        );
        rules.turns = 9;
        assert_eq!(draw_poses(&rules, || true).len(), 3);
        assert!(rules.check().is_err());
        rules.turns = 2;
        assert_eq!(rules.check(), Ok(()));
        rules.turn_min_yaw_pct = rules.straight_max_yaw_pct;
        assert!(rules.check().is_err());
        rules.mode = LivenessMode::SinglePhoto;
        assert_eq!(draw_poses(&rules, || true), [Pose::Straight]);
    }
}

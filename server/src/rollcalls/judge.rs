//! Judging a live call from the pictures its peer samples: each picture goes through the face
//! engine on a bounded blocking pool shared by all calls (a call's picture waits its turn
//! there; meanwhile its peer keeps decoding and drops the pictures its short queue cannot
//! hold, so the media loop never waits on face work), its finding goes to the core rule
//! (`policy::rollcall::judge`), and when the rule says the baseline is in, a head turn is drawn
//! at random and asked of the supervisee at a random moment (the caller's `ask`, e.g. a live
//! event).

use std::sync::Arc;
use std::time::{Duration, Instant};

use huijiao_core::face::image::Rgb;
use huijiao_core::face::{compare, Decision, FaceEngine, MatchPolicy, Template};
use huijiao_core::policy::liveness::{seen_pose, LivenessRules, Pose};
use huijiao_core::policy::rollcall::{
    draw_challenge, judge, FaceMatch, Frame, FrameFinding, Judgement, RollCallRules,
};
use tokio::sync::{mpsc, Semaphore};

use super::peer::Sample;

/// What judging a call came to.
pub struct Verdict {
    /// `None`: the call ended (hang-up, lost connection) before the rule decided.
    pub judgement: Option<Judgement>,
    /// The turn asked, and when (since the first picture).
    pub asked: Option<(Pose, Duration)>,
    pub frames_judged: usize,
    /// The picture closest to the enrolled face (the evidence kept), with its distance.
    pub best: Option<(f32, Rgb)>,
    /// The challenge's evidence: the first picture after the question that showed the turn
    /// asked, or else the last face seen after it (what was shown instead).
    pub turn: Option<Rgb>,
}

/// Everything a judge needs besides the pictures.
pub struct Judge {
    pub engine: Arc<FaceEngine>,
    pub template: Arc<Template>,
    pub policy: MatchPolicy,
    pub rules: RollCallRules,
    pub liveness: LivenessRules,
    /// Face work in flight across all calls; beyond it a picture waits for a permit.
    pub pool: Arc<Semaphore>,
}

impl Judge {
    /// Judges the call whose pictures arrive on `samples` until the rule decides or the call
    /// ends. `ask` is told the turn once; `roll` is the coin that picks it.
    pub async fn run(
        &self,
        samples: &mut mpsc::Receiver<Sample>,
        mut ask: impl FnMut(Pose),
        mut roll: impl FnMut() -> bool,
    ) -> Verdict {
        let started = Instant::now();
        let mut frames = Vec::new();
        let mut asked: Option<(Pose, u64)> = None;
        // When the baseline is in, the turn is asked after a random 0–3.5 s more, so a clip
        // cannot be cut to turn at the moment the question always comes.
        let mut ask_at: Option<u64> = None;
        let mut best: Option<(f32, Rgb)> = None;
        let mut turn: Option<(bool, Rgb)> = None;
        loop {
            // A call whose pictures stop still reaches its deadline: wake once a second.
            let sample = match tokio::time::timeout(Duration::from_secs(1), samples.recv()).await {
                Ok(Some(s)) => Some(s),
                Ok(None) => return verdict(None, asked, frames.len(), best, turn),
                Err(_) => None,
            };
            let mut now_ms = started.elapsed().as_millis() as u64;
            if let Some(sample) = sample {
                now_ms = sample.at.as_millis() as u64;
                // Waiting here holds up this call's judging only (the semaphore is never
                // closed, so this always gets a permit).
                if let Ok(permit) = self.pool.clone().acquire_owned().await {
                    let (engine, template, policy) =
                        (self.engine.clone(), self.template.clone(), self.policy);
                    let picture = sample.picture;
                    let judged = tokio::task::spawn_blocking(move || {
                        let _permit = permit;
                        let finding = match engine.analyze_image(&picture) {
                            Ok(a) => compare(&template, &a, &policy).ok().map(|v| {
                                let matched = match v.decision {
                                    Decision::Match => FaceMatch::Match,
                                    Decision::NoMatch => FaceMatch::NoMatch,
                                    Decision::Inconclusive => FaceMatch::Inconclusive,
                                };
                                (matched, a.yaw(), v.distance)
                            }),
                            Err(_) => None,
                        };
                        (finding, picture)
                    })
                    .await;
                    if let Ok((finding, picture)) = judged {
                        let finding = match finding {
                            Some((matched, yaw, distance)) => {
                                if let Some((pose, _)) = asked {
                                    let shown = yaw
                                        .and_then(|y| seen_pose(&self.liveness, y))
                                        .is_some_and(|p| p == pose);
                                    if turn.as_ref().is_none_or(|t| !t.0) {
                                        turn = Some((shown, picture.clone()));
                                    }
                                }
                                if matched == FaceMatch::Match
                                    && best.as_ref().is_none_or(|b| distance < b.0)
                                {
                                    best = Some((distance, picture));
                                }
                                FrameFinding::Face { matched, yaw }
                            }
                            None => FrameFinding::NoFace,
                        };
                        frames.push(Frame {
                            at_ms: now_ms,
                            finding,
                        });
                    }
                }
            }
            match judge(&self.rules, &self.liveness, &frames, asked, now_ms) {
                Judgement::Pending { ask: true } if asked.is_none() => {
                    let at = *ask_at.get_or_insert_with(|| {
                        let jitter = (0..3).fold(0, |acc, _| acc * 2 + u64::from(roll()));
                        now_ms + 500 * jitter
                    });
                    if now_ms >= at {
                        let pose = draw_challenge(&mut roll);
                        asked = Some((pose, now_ms));
                        ask(pose);
                    }
                }
                Judgement::Pending { .. } => {}
                decided => return verdict(Some(decided), asked, frames.len(), best, turn),
            }
        }
    }
}

fn verdict(
    judgement: Option<Judgement>,
    asked: Option<(Pose, u64)>,
    frames_judged: usize,
    best: Option<(f32, Rgb)>,
    turn: Option<(bool, Rgb)>,
) -> Verdict {
    Verdict {
        judgement,
        asked: asked.map(|(p, ms)| (p, Duration::from_millis(ms))),
        frames_judged,
        best,
        turn: turn.map(|t| t.1),
    }
}

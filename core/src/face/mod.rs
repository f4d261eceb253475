//! The face engine: detect (BlazeFace), align (similarity transform to dlib's chip), embed
//! (dlib ResNet-29, 128-d), compare (Euclidean distance), with a quality gate before matching
//! and a perceptual hash against replayed photos. Real ONNX models on CPU through tract.
//!
//! Load once (`FaceEngine::load`), share across threads (`&self` everywhere). Inference is
//! CPU-bound: async callers run it on a blocking thread.

pub mod align;
pub mod detect;
pub mod image;
mod kernels;
pub mod models;
pub mod quality;
#[cfg(feature = "fixtures")]
pub mod synth;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use detect::{Detection, Variant, LEFT_EYE, NOSE_TIP, RIGHT_EYE};
use image::Rgb;
use models::{Model, EMBEDDER, EMBEDDING_MODEL_ID, FULL_RANGE, SHORT_RANGE};

pub const EMBEDDING_DIM: usize = 128;
/// Below this share of the frame the short-range detector's faces are cross-checked with the
/// full-range model.
pub const SHORT_RANGE_MIN_SHARE: f32 = 0.2;

/// In a reference photo, another face at least this share of the person's (box side) refuses
/// it: someone in the background, a face on a poster.
pub const REFERENCE_SECOND_FACE_SHARE: f32 = 0.15;
pub const MAX_REFERENCES: usize = 5;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaceError {
    #[error("not a JPEG or PNG image, or a damaged one")]
    NotAnImage,
    #[error("image too large")]
    ImageTooLarge,
    #[error("no face found")]
    NoFace,
    #[error("more than one face")]
    MultipleFaces,
    #[error("face too small")]
    FaceTooSmall,
    #[error("face too blurred")]
    FaceTooBlurry,
    #[error("face too dark")]
    FaceTooDark,
    #[error("face overexposed")]
    FaceOverexposed,
    #[error("face cut off by the image border")]
    FaceCutOff,
    #[error("{0} photos given; enrolment takes 1 to 5")]
    ReferenceCount(usize),
    #[error("reference photo {0} is not the same person as photo {1}")]
    ReferencesDiffer(usize, usize),
    #[error("template from another model ({0})")]
    TemplateIncompatible(String),
    #[error("model file missing: {0}")]
    ModelMissing(String),
    #[error("model file corrupt: {0}")]
    ModelCorrupt(String),
    #[error("inference failed: {0}")]
    Inference(String),
}

impl FaceError {
    /// The API error code for this failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            FaceError::NotAnImage => ErrorCode::ImageInvalid,
            FaceError::ImageTooLarge => ErrorCode::ImageTooLarge,
            FaceError::NoFace => ErrorCode::FaceNotFound,
            FaceError::MultipleFaces => ErrorCode::FaceMultiple,
            FaceError::FaceTooSmall => ErrorCode::FaceTooSmall,
            FaceError::FaceTooBlurry => ErrorCode::FaceTooBlurry,
            FaceError::FaceTooDark => ErrorCode::FaceTooDark,
            FaceError::FaceOverexposed => ErrorCode::FaceOverexposed,
            FaceError::FaceCutOff => ErrorCode::FaceCutOff,
            FaceError::ReferenceCount(_) => ErrorCode::FaceReferenceCount,
            FaceError::ReferencesDiffer(..) => ErrorCode::FaceReferencesDiffer,
            FaceError::TemplateIncompatible(_) => ErrorCode::FaceTemplateIncompatible,
            FaceError::ModelMissing(_) | FaceError::ModelCorrupt(_) | FaceError::Inference(_) => {
                ErrorCode::Internal
            }
        }
    }
}

/// Quality gate limits. Defaults were set on real photos (see the tests on `shared/faces`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QualityLimits {
    /// Smallest face box side, in source pixels.
    pub min_face_px: f32,
    /// Lowest Laplacian variance of the aligned chip.
    pub min_sharpness: f32,
    /// Mean face luma bounds (0–255).
    pub min_brightness: f32,
    pub max_brightness: f32,
    /// How far (as a share of the box side) the face box may extend past the image border.
    pub max_cut_off: f32,
    /// A second face counts when its box is at least this share of the largest one.
    pub second_face_ratio: f32,
}

impl Default for QualityLimits {
    fn default() -> Self {
        QualityLimits {
            min_face_px: 64.0,
            min_sharpness: 20.0,
            min_brightness: 45.0,
            max_brightness: 215.0,
            max_cut_off: 0.1,
            second_face_ratio: 0.4,
        }
    }
}

/// Decision thresholds, per jurisdiction. dlib's model: same person below 0.6.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchPolicy {
    pub threshold: f32,
    /// Distances within ± this of the threshold go to an officer (inconclusive).
    pub review_band: f32,
}

impl Default for MatchPolicy {
    fn default() -> Self {
        MatchPolicy {
            threshold: 0.6,
            review_band: 0.05,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Decision {
    Match,
    NoMatch,
    /// Close to the threshold: an officer decides.
    Inconclusive,
}

/// Pure decision rule: below the band → match, above → no match, inside → inconclusive.
pub fn decide(distance: f32, policy: &MatchPolicy) -> Decision {
    if !distance.is_finite() {
        return Decision::NoMatch;
    }
    if distance < policy.threshold - policy.review_band {
        Decision::Match
    } else if distance > policy.threshold + policy.review_band {
        Decision::NoMatch
    } else {
        Decision::Inconclusive
    }
}

pub fn distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f32>()
        .sqrt()
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    pub detection_score: f32,
    /// Face box side in source pixels.
    pub face_px: f32,
    pub sharpness: f32,
    pub brightness: f32,
}

/// One analysed photo: where the face is, how good the picture is, its embedding and hash.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceAnalysis {
    pub bbox: [f32; 4],
    pub quality: Quality,
    pub embedding: Vec<f32>,
    pub phash: u64,
    /// The hash of the mirrored chip: a mirrored copy of an earlier photo (what a phone's
    /// front camera or an editor's "flip" makes) hashes like this one, so a replay check
    /// compares both (`is_replay`).
    pub phash_mirrored: u64,
    /// Right eye, left eye and nose tip in source pixels: the head pose (`yaw`).
    pub landmarks: [[f32; 2]; 3],
}

impl FaceAnalysis {
    /// How far the head is turned (`policy::liveness::yaw`).
    pub fn yaw(&self) -> Option<f32> {
        let [right, left, nose] = self.landmarks;
        crate::policy::liveness::yaw(right, left, nose)
    }

    /// Whether this photo is a copy, straight or mirrored, of a photo hashed as one of
    /// `earlier` (within `max_hamming` bits).
    pub fn is_replay(&self, earlier: impl IntoIterator<Item = u64>, max_hamming: u32) -> bool {
        earlier.into_iter().any(|h| {
            quality::hamming(h, self.phash) <= max_hamming
                || quality::hamming(h, self.phash_mirrored) <= max_hamming
        })
    }
}

/// An enrolled person: one embedding per reference photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub model: String,
    pub embeddings: Vec<Vec<f32>>,
}

impl Template {
    /// Compact binary form (for encrypted storage): magic, version, count, f32 LE values.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = b"HJFT\x01".to_vec();
        out.push(self.embeddings.len() as u8);
        for e in &self.embeddings {
            for v in e {
                out.extend(v.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Template> {
        let body = bytes.strip_prefix(b"HJFT\x01")?;
        let (&n, rest) = body.split_first()?;
        if n == 0
            || usize::from(n) > MAX_REFERENCES
            || rest.len() != usize::from(n) * EMBEDDING_DIM * 4
        {
            return None;
        }
        let embeddings = rest
            .chunks_exact(EMBEDDING_DIM * 4)
            .map(|c| {
                c.chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect()
            })
            .collect();
        Some(Template {
            model: EMBEDDING_MODEL_ID.into(),
            embeddings,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub decision: Decision,
    /// Smallest distance to any reference.
    pub distance: f32,
    /// Index of the closest reference photo.
    pub matched_reference: usize,
    pub bbox: [f32; 4],
    pub quality: Quality,
    pub phash: u64,
}

pub struct FaceEngine {
    short_range: Model,
    full_range: Model,
    embedder: Model,
    pub limits: QualityLimits,
}

impl FaceEngine {
    /// Loads and checks (sha256) the three models from `dir`. A missing or altered file is an
    /// error here, at start-up, never a silent pass later.
    pub fn load(dir: &Path, limits: QualityLimits) -> Result<FaceEngine, FaceError> {
        Ok(FaceEngine {
            short_range: Model::load(dir, &SHORT_RANGE, [1, 3, 128, 128])?,
            full_range: Model::load(dir, &FULL_RANGE, [1, 3, 192, 192])?,
            embedder: Model::load(dir, &EMBEDDER, [1, 3, 150, 150])?,
            limits,
        })
    }

    /// All faces, best first. The short-range model (selfie distance) runs first. When it
    /// finds nothing, or only faces small in the frame (where it starts to miss faces), the
    /// full-range model runs too and the two are merged: a second person in the picture must
    /// not go unseen.
    pub fn detect(&self, img: &Rgb) -> Result<Vec<Detection>, FaceError> {
        let found = self.detect_with(img, Variant::ShortRange)?;
        let frame = img.width.max(img.height) as f32;
        let largest = found
            .iter()
            .map(|f| f.width().max(f.height()))
            .fold(0.0, f32::max);
        if largest >= SHORT_RANGE_MIN_SHARE * frame {
            return Ok(found);
        }
        let mut all = found;
        all.extend(self.detect_with(img, Variant::FullRange)?);
        Ok(detect::nms(all, detect::NMS_IOU))
    }

    pub fn detect_with(&self, img: &Rgb, variant: Variant) -> Result<Vec<Detection>, FaceError> {
        let model = match variant {
            Variant::ShortRange => &self.short_range,
            Variant::FullRange => &self.full_range,
        };
        let (input, lb) = detect::input_tensor(img, variant.input_size());
        let outputs = model.run(input)?;
        let anchors = variant.anchors().len();
        let regressors = outputs.iter().find(|o| o.len() == anchors * 16);
        let logits = outputs.iter().find(|o| o.len() == anchors);
        match (regressors, logits) {
            (Some(r), Some(l)) => Ok(detect::decode(variant, r, l, &lb)),
            _ => Err(FaceError::Inference("unexpected detector outputs".into())),
        }
    }

    /// The 128-d embedding of an aligned 150×150 chip.
    pub fn embed_chip(&self, chip: &Rgb) -> Result<Vec<f32>, FaceError> {
        let out = self.embedder.run(align::chip_input(chip))?;
        out.into_iter()
            .next()
            .filter(|e| e.len() == EMBEDDING_DIM)
            .ok_or_else(|| FaceError::Inference("unexpected embedding size".into()))
    }

    /// Decodes, checks quality, aligns and embeds one photo.
    pub fn analyze(&self, bytes: &[u8]) -> Result<FaceAnalysis, FaceError> {
        self.analyze_image(&Rgb::decode(bytes)?)
    }

    /// A reference photo taken at the office, read more strictly than a selfie: both
    /// detectors look (a small face in the background escapes the close-range one), and any
    /// other face beside the person's — even a small one — refuses the photo: a template must
    /// hold one person only.
    pub fn analyze_reference(&self, bytes: &[u8]) -> Result<FaceAnalysis, FaceError> {
        let img = Rgb::decode(bytes)?;
        let mut all = self.detect_with(&img, Variant::ShortRange)?;
        all.extend(self.detect_with(&img, Variant::FullRange)?);
        let found = detect::nms(all, detect::NMS_IOU);
        if let Some(main) = found.iter().max_by(|a, b| {
            a.width()
                .max(a.height())
                .total_cmp(&b.width().max(b.height()))
        }) {
            let side = main.width().max(main.height());
            let [x0, y0, x1, y1] = main.bbox;
            // A loose box around the person's own face has its centre inside theirs.
            let beside = |f: &Detection| {
                let (cx, cy) = ((f.bbox[0] + f.bbox[2]) / 2.0, (f.bbox[1] + f.bbox[3]) / 2.0);
                !(x0..=x1).contains(&cx) || !(y0..=y1).contains(&cy)
            };
            if found.iter().any(|f| {
                beside(f) && f.width().max(f.height()) >= REFERENCE_SECOND_FACE_SHARE * side
            }) {
                return Err(FaceError::MultipleFaces);
            }
        }
        self.analyze_image(&img)
    }

    pub fn analyze_image(&self, img: &Rgb) -> Result<FaceAnalysis, FaceError> {
        let faces = self.detect(img)?;
        let face = *faces.first().ok_or(FaceError::NoFace)?;
        let lim = &self.limits;
        let side = face.width().max(face.height());
        // A face too small to judge is the first thing to fix ("hold the phone closer"): at
        // that size the short-range model also returns loose boxes around it, which would
        // otherwise read as a second face.
        let largest = faces
            .iter()
            .map(|f| f.width().max(f.height()))
            .fold(0.0, f32::max);
        if largest < lim.min_face_px {
            return Err(FaceError::FaceTooSmall);
        }
        if faces[1..]
            .iter()
            .any(|f| f.width().max(f.height()) >= lim.second_face_ratio * side)
        {
            return Err(FaceError::MultipleFaces);
        }
        let (w, h) = (img.width as f32, img.height as f32);
        let margin = lim.max_cut_off * side;
        let [x0, y0, x1, y1] = face.bbox;
        let keypoints_inside = face.keypoints[..4]
            .iter()
            .all(|k| k[0] >= 0.0 && k[1] >= 0.0 && k[0] < w && k[1] < h);
        if x0 < -margin || y0 < -margin || x1 > w + margin || y1 > h + margin || !keypoints_inside {
            return Err(FaceError::FaceCutOff);
        }
        if side < lim.min_face_px {
            return Err(FaceError::FaceTooSmall);
        }
        let kp = [
            face.keypoints[RIGHT_EYE],
            face.keypoints[LEFT_EYE],
            face.keypoints[NOSE_TIP],
        ];
        let chip = align::chip(img, &kp).ok_or(FaceError::NoFace)?;
        let brightness = quality::brightness(&chip);
        if brightness < lim.min_brightness {
            return Err(FaceError::FaceTooDark);
        }
        if brightness > lim.max_brightness {
            return Err(FaceError::FaceOverexposed);
        }
        let sharpness = quality::sharpness(&chip);
        if sharpness < lim.min_sharpness {
            return Err(FaceError::FaceTooBlurry);
        }
        Ok(FaceAnalysis {
            bbox: face.bbox,
            quality: Quality {
                detection_score: face.score,
                face_px: side,
                sharpness,
                brightness,
            },
            embedding: self.embed_chip(&chip)?,
            phash: quality::perceptual_hash(&chip),
            phash_mirrored: self.mirrored_hash(img, &chip)?,
            landmarks: kp,
        })
    }

    /// The replay hash of the mirrored photo, found and aligned on its own: the detector's
    /// keypoints on a mirrored picture are not the mirror of its keypoints on the original
    /// (a few pixels off, enough to move a chip hash by a third of its bits), so flipping the
    /// chip would miss a mirrored copy. Detecting on the flipped pixels gives exactly what
    /// analysing the copy's original gave. Costs one more detection, no embedding.
    /// (Should the detector miss the mirrored face, the flipped chip stands in.)
    fn mirrored_hash(&self, img: &Rgb, chip: &Rgb) -> Result<u64, FaceError> {
        let mirrored = img.flip_horizontal();
        let chip = self
            .detect(&mirrored)?
            .first()
            .and_then(|f| {
                let kp = [
                    f.keypoints[RIGHT_EYE],
                    f.keypoints[LEFT_EYE],
                    f.keypoints[NOSE_TIP],
                ];
                align::chip(&mirrored, &kp)
            })
            .unwrap_or_else(|| chip.flip_horizontal());
        Ok(quality::perceptual_hash(&chip))
    }

    /// Enrols from 1–5 reference photos; every one must pass the quality gate. On failure the
    /// error comes with the index of the photo at fault.
    pub fn enroll(&self, photos: &[&[u8]]) -> Result<Template, (usize, FaceError)> {
        if photos.is_empty() || photos.len() > MAX_REFERENCES {
            return Err((0, FaceError::ReferenceCount(photos.len())));
        }
        let embeddings: Vec<Vec<f32>> = photos
            .iter()
            .enumerate()
            .map(|(i, p)| self.analyze(p).map(|a| a.embedding).map_err(|e| (i, e)))
            .collect::<Result<_, _>>()?;
        references_agree(&embeddings, &MatchPolicy::default())?;
        Ok(Template {
            model: EMBEDDING_MODEL_ID.into(),
            embeddings,
        })
    }

    /// Verifies a probe photo against a template.
    pub fn verify(
        &self,
        template: &Template,
        probe: &[u8],
        policy: &MatchPolicy,
    ) -> Result<Verification, FaceError> {
        let a = self.analyze(probe)?;
        compare(template, &a, policy)
    }
}

/// Every reference photo of one template must show the same person: each pair closer than
/// the match threshold. Otherwise two people could be enrolled as one and either would
/// pass. The error names the later photo of the first pair that differs.
/// Whether two templates hold the same person: any of their references as close as a passed
/// check-in would be (one face enrolled for two cases is one person under two identities, or
/// a mistake at intake).
pub fn templates_match(a: &Template, b: &Template, policy: &MatchPolicy) -> bool {
    a.model == b.model
        && a.embeddings.iter().any(|x| {
            b.embeddings
                .iter()
                .any(|y| distance(x, y) < policy.threshold)
        })
}

pub fn references_agree(
    embeddings: &[Vec<f32>],
    policy: &MatchPolicy,
) -> Result<(), (usize, FaceError)> {
    for (j, b) in embeddings.iter().enumerate() {
        for (i, a) in embeddings[..j].iter().enumerate() {
            if distance(a, b) >= policy.threshold {
                return Err((j, FaceError::ReferencesDiffer(j, i)));
            }
        }
    }
    Ok(())
}

/// Compares an analysed probe with a template (pure: no model involved).
pub fn compare(
    template: &Template,
    probe: &FaceAnalysis,
    policy: &MatchPolicy,
) -> Result<Verification, FaceError> {
    if template.model != EMBEDDING_MODEL_ID {
        return Err(FaceError::TemplateIncompatible(template.model.clone()));
    }
    let (matched_reference, distance) = template
        .embeddings
        .iter()
        .map(|e| distance(e, &probe.embedding))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .ok_or(FaceError::ReferenceCount(0))?;
    Ok(Verification {
        decision: decide(distance, policy),
        distance,
        matched_reference,
        bbox: probe.bbox,
        quality: probe.quality,
        phash: probe.phash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_bands() {
        let p = MatchPolicy::default();
        assert_eq!(decide(0.30, &p), Decision::Match);
        assert_eq!(decide(0.549, &p), Decision::Match);
        assert_eq!(decide(0.55, &p), Decision::Inconclusive);
        assert_eq!(decide(0.60, &p), Decision::Inconclusive);
        assert_eq!(decide(0.65, &p), Decision::Inconclusive);
        assert_eq!(decide(0.651, &p), Decision::NoMatch);
        assert_eq!(decide(f32::NAN, &p), Decision::NoMatch);
        let strict = MatchPolicy {
            threshold: 0.5,
            review_band: 0.0,
        };
        assert_eq!(decide(0.55, &strict), Decision::NoMatch);
    }

    #[test]
    fn template_round_trip_and_rejects_garbage() {
        let t = Template {
            model: EMBEDDING_MODEL_ID.into(),
            embeddings: vec![vec![0.25; EMBEDDING_DIM], vec![-1.5; EMBEDDING_DIM]],
        };
        assert_eq!(Template::from_bytes(&t.to_bytes()), Some(t.clone()));
        let mut b = t.to_bytes();
        b.pop();
        assert_eq!(Template::from_bytes(&b), None);
        assert_eq!(Template::from_bytes(b"nope"), None);
    }

    #[test]
    fn compare_picks_the_closest_reference() {
        let t = Template {
            model: EMBEDDING_MODEL_ID.into(),
            embeddings: vec![vec![1.0; EMBEDDING_DIM], vec![0.0; EMBEDDING_DIM]],
        };
        let probe = FaceAnalysis {
            bbox: [0.0; 4],
            quality: Quality {
                detection_score: 1.0,
                face_px: 100.0,
                sharpness: 100.0,
                brightness: 100.0,
            },
            embedding: vec![0.01; EMBEDDING_DIM],
            phash: 0,
            phash_mirrored: 0,
            landmarks: [[0.0; 2]; 3],
        };
        let v = compare(&t, &probe, &MatchPolicy::default()).unwrap();
        assert_eq!((v.matched_reference, v.decision), (1, Decision::Match));
        let other = Template {
            model: "other".into(),
            ..t
        };
        assert!(matches!(
            compare(&other, &probe, &MatchPolicy::default()),
            Err(FaceError::TemplateIncompatible(_))
        ));
    }
}

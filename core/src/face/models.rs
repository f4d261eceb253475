//! Loading the three ONNX models with tract, after checking each file's sha256.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tract_onnx::prelude::*;

use super::FaceError;

pub struct ModelFile {
    pub name: &'static str,
    /// Accepted contents: the distributed copy and what `scripts/rebuild-models.sh` rebuilds
    /// from the registry packages (same graph and weights, serialised in another order).
    pub sha256: &'static [&'static str],
}

pub const SHORT_RANGE: ModelFile = ModelFile {
    name: "face_detection_short_range.onnx",
    sha256: &[
        "d0276def1170a25b8ef90f15a4c8722afbb50d432f8edf2be44b71393ae03bee",
        "2d83bf713a7bf67b1d8d65b3d4eb297a4f1029bce51cf0d9f7723046648f10a7",
    ],
};
pub const FULL_RANGE: ModelFile = ModelFile {
    name: "face_detection_full_range.onnx",
    sha256: &[
        "47a6bef30cb1549bf19e09684e7b25b75b23bfb84e546e194879cde17b5a8587",
        "3b09dfb307fd064b2a6fc943f382ab6323f0fa2be44b9e09826674ccb11c1371",
    ],
};
pub const EMBEDDER: ModelFile = ModelFile {
    name: "dlib_face_recognition_resnet_v1.onnx",
    sha256: &[
        "edbec007db282dda742aa904da947f7dc38d302e2cbdfe8add1fac623d5bf2f0",
        "478cd1201ebf69d59456611860c188be4afeb3cad536c1d89892f2de5de24918",
    ],
};

/// Identifies the embedding space; templates from another model cannot be compared.
pub const EMBEDDING_MODEL_ID: &str = "dlib_face_recognition_resnet_v1";

type Plan = std::sync::Arc<TypedSimplePlan>;

/// A loaded, optimised model. Running it takes `&self`: one instance serves every thread.
pub struct Model {
    plan: Plan,
    input_shape: [usize; 4],
}

impl Model {
    pub fn load(dir: &Path, file: &ModelFile, input_shape: [usize; 4]) -> Result<Model, FaceError> {
        let path: PathBuf = dir.join(file.name);
        let bytes = std::fs::read(&path)
            .map_err(|_| FaceError::ModelMissing(path.display().to_string()))?;
        let digest = hex(&Sha256::digest(&bytes));
        if !file.sha256.contains(&digest.as_str()) {
            return Err(FaceError::ModelCorrupt(format!(
                "{}: sha256 {digest}, expected one of {:?}",
                path.display(),
                file.sha256
            )));
        }
        let plan = tract_onnx::onnx()
            .model_for_read(&mut std::io::Cursor::new(bytes))
            .and_then(|m| optimised(m, input_shape, true))
            .and_then(|m| m.into_runnable())
            .map_err(|e| FaceError::ModelCorrupt(format!("{}: {e}", path.display())))?;
        Ok(Model { plan, input_shape })
    }

    /// Runs on one NCHW input; returns each output flattened.
    pub fn run(&self, input: Vec<f32>) -> Result<Vec<Vec<f32>>, FaceError> {
        let tensor = Tensor::from_shape(&self.input_shape, &input)
            .map_err(|e| FaceError::Inference(e.to_string()))?;
        let outputs = self
            .plan
            .run(tvec!(tensor.into()))
            .map_err(|e| FaceError::Inference(e.to_string()))?;
        outputs
            .iter()
            .map(|o| {
                o.to_plain_array_view::<f32>()
                    .map(|v| v.iter().copied().collect())
                    .map_err(|e| FaceError::Inference(e.to_string()))
            })
            .collect()
    }
}

/// The model as it runs: typed for this input shape, decluttered, with the max pools and
/// depthwise convolutions of `kernels` swapped in where `own_kernels`, optimised by tract.
pub fn optimised(
    model: InferenceModel,
    input_shape: [usize; 4],
    own_kernels: bool,
) -> TractResult<TypedModel> {
    let mut model = model
        .with_input_fact(0, f32::fact(input_shape).into())?
        .into_typed()?
        .into_decluttered()?;
    if own_kernels {
        super::kernels::swap_in(&mut model)?;
    }
    model.into_optimized()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

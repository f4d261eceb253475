//! What waits in the heartbeat queue (`AppState::beat_queue`) for `beats` to write: apart, so
//! the state holds the queue without depending on the handler that fills it.

use huijiao_core::api::StudySessionView;
use huijiao_core::policy::learning::Beat;
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::auth::tokens::SuperviseeToken;
use crate::error::ApiResult;

/// One request's beats, checked and in sequence order.
pub struct BeatAsk {
    /// Who asks, checked against the database with the rest of the batch (the session must
    /// be of their case, opened on this phone).
    pub(super) caller: SuperviseeToken,
    pub(super) session: Uuid,
    pub(super) beats: Vec<Beat>,
}

pub struct BeatJob {
    pub(super) ask: BeatAsk,
    pub(super) reply: oneshot::Sender<ApiResult<StudySessionView>>,
}

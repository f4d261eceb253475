//! Requests a supervisee makes and officers decide: leave (外出) so far.

pub mod leave;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    leave::routes()
}

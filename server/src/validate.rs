//! Input checks shared by the domains; each failure names the field.

use huijiao_core::policy::text::{self, Shape};
use huijiao_core::Said;

use crate::error::{ApiError, ApiResult};

/// One line of text people type (a name, a place, a title): the core text rule.
pub fn check_text(field: &str, value: &str, max: usize) -> ApiResult<()> {
    text::check(value, max, Shape::Line).map_err(|p| ApiError::field(field, p.message()))
}

/// Free text that may span lines (a reason, an opinion, a note): the core text rule.
pub fn check_paragraphs(field: &str, value: &str, max: usize) -> ApiResult<()> {
    text::check(value, max, Shape::Paragraphs).map_err(|p| ApiError::field(field, p.message()))
}

pub fn check_coordinates(field: &str, lat: f64, lon: f64) -> ApiResult<()> {
    if !(lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon))
    {
        return Err(ApiError::field(
            field,
            Said::new(
                "latitude −90…90 and longitude −180…180",
                "纬度须在 −90 到 90 之间，经度须在 −180 到 180 之间",
            ),
        ));
    }
    Ok(())
}

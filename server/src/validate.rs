//! Input checks shared by the domains; each failure names the field.

use crate::error::{ApiError, ApiResult};

pub fn check_text(field: &str, value: &str, max: usize) -> ApiResult<()> {
    let n = value.trim().chars().count();
    if n == 0 || n > max || value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::field(
            field,
            format!("1 to {max} characters, no control characters"),
        ));
    }
    Ok(())
}

pub fn check_coordinates(field: &str, lat: f64, lon: f64) -> ApiResult<()> {
    if !(lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon))
    {
        return Err(ApiError::field(
            field,
            "latitude −90…90 and longitude −180…180",
        ));
    }
    Ok(())
}

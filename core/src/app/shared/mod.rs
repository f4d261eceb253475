//! What every app has: signing in, a new password, settings; what the phone says outside a
//! screen (its words, the menu, notices); choosing a place.

pub mod device;
pub mod notices;
pub mod password;
pub mod place_picker;
pub mod places;
pub mod settings;
pub mod sign_in;

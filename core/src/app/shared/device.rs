//! What the phone says outside any screen (its notification channels, why it asks for a
//! permission, what it lacks), and where each app's home leads: so that the apps word nothing
//! themselves.

use crate::app::text::Text;
use crate::app::Route;
use crate::error::Lang;
use crate::model::Role;

/// The phone's own words, in the person's language.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceWords {
    /// The notification channel of the service that keeps the connection.
    pub status_channel: String,
    /// That service's line while it runs.
    pub online_note: String,
    /// Why the check-in asks for the camera, and for the location.
    pub camera_why: String,
    pub location_why: String,
    /// The camera or the location refused or missing.
    pub no_camera: String,
    pub no_location: String,
    /// Scanning a code with the back camera: the screen's title, what to do, why the camera.
    pub scan_title: String,
    pub scan_hint: String,
    pub scan_camera_why: String,
}

pub fn device_words(lang: Lang) -> DeviceWords {
    let say = |t: Text| t.say(lang, &[]);
    DeviceWords {
        status_channel: say(Text::StatusChannel),
        online_note: say(Text::OnlineNote),
        camera_why: say(Text::CameraWhy),
        location_why: say(Text::LocationWhy),
        no_camera: say(Text::NoCamera),
        no_location: say(Text::NoLocation),
        scan_title: say(Text::ScanTitle),
        scan_hint: say(Text::ScanHint),
        scan_camera_why: say(Text::ScanCameraWhy),
    }
}

/// One place an app's home leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MenuEntry {
    pub label: String,
    pub route: Route,
}

/// Where the home screen of `role`'s app leads, in order (settings last).
pub fn menu(role: Role, lang: Lang) -> Vec<MenuEntry> {
    let entries: &[(Text, Route)] = match role {
        Role::Supervisee => &[
            (Text::LeavesTitle, Route::Leave),
            (Text::StudyTitle, Route::Study),
            (Text::ServiceTitle, Route::Service),
            (Text::DecisionsTitle, Route::Decisions),
            (Text::AreasTitle, Route::Areas),
            (Text::MoveTitle, Route::Move),
            (Text::SettingsTitle, Route::Settings),
        ],
        Role::Officer => &[
            (Text::CasesTitle, Route::Cases),
            (Text::RollCallsTitle, Route::RollCalls),
            (Text::SettingsTitle, Route::Settings),
        ],
        Role::Volunteer => &[
            (Text::RecordTitle, Route::ServiceRecord),
            (Text::SettingsTitle, Route::Settings),
        ],
        Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => &[],
    };
    entries
        .iter()
        .map(|(t, route)| MenuEntry {
            label: t.say(lang, &[]),
            route: *route,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_app_leads_to_settings_and_words_everything() {
        for role in [Role::Supervisee, Role::Officer, Role::Volunteer] {
            let m = menu(role, Lang::ZhCn);
            assert_eq!(m.last().map(|e| e.route), Some(Route::Settings), "{role:?}");
            assert!(m.iter().all(|e| !e.label.is_empty()));
        }
        assert!(menu(Role::AuditAdmin, Lang::En).is_empty());
        assert_eq!(device_words(Lang::En).status_channel, "Connection");
    }
}

//! Setting a new password (after an officer's reset, or from settings): the current one, the
//! new one twice, checked as the server checks it (`policy::check_password_strength`) before
//! anything is sent; then the role's home. Passwords are never part of the state.

use std::sync::{Arc, Mutex};

use crate::api::PasswordChangeRequest;
use crate::app::text::Text;
use crate::app::{home, trouble, with_server, FieldError, Listeners, Route, Watching};
use crate::client::Client;
use crate::error::{ErrorCode, Lang};
use crate::policy::check_password_strength;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PasswordState {
    pub title: String,
    pub current_label: String,
    pub new_label: String,
    pub confirm_label: String,
    pub submit_label: String,
    pub errors: Vec<FieldError>,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait PasswordListener: Send + Sync {
    fn changed(&self, state: PasswordState);
}

#[derive(Default)]
struct Form {
    current: String,
    new: String,
    confirm: String,
    busy: bool,
    server_errors: Vec<FieldError>,
    message: Option<String>,
    route: Option<Route>,
}

/// Each field's problem, as the server would say it.
fn check(f: &Form, lang: Lang) -> Vec<FieldError> {
    let mut errors = vec![];
    let mut problem = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    if f.current.is_empty() {
        problem(
            "current_password",
            Text::CurrentPasswordMissing.say(lang, &[]),
        );
    }
    if f.new.is_empty() {
        problem("new_password", Text::NewPasswordMissing.say(lang, &[]));
    } else if let Err(code) = check_password_strength(&f.new) {
        problem("new_password", code.message(lang).into());
    } else if f.confirm != f.new {
        problem("confirm", Text::PasswordsDiffer.say(lang, &[]));
    }
    errors
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct PasswordScreen {
    client: Arc<Client>,
    form: Mutex<Form>,
    listeners: Listeners<dyn PasswordListener>,
}

impl PasswordScreen {
    pub fn new(client: Arc<Client>) -> Arc<PasswordScreen> {
        Arc::new(PasswordScreen {
            client,
            form: Mutex::new(Form::default()),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, f: &Form) -> PasswordState {
        let lang = self.client.lang();
        let errors = check(f, lang);
        let why_not = if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else {
            errors.first().map(|e| e.message.clone())
        };
        let errors = with_server(errors, &f.server_errors);
        PasswordState {
            title: Text::PasswordTitle.say(lang, &[]),
            current_label: Text::CurrentPasswordLabel.say(lang, &[]),
            new_label: Text::NewPasswordLabel.say(lang, &[]),
            confirm_label: Text::ConfirmPasswordLabel.say(lang, &[]),
            submit_label: Text::PasswordTitle.say(lang, &[]),
            errors,
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            busy: f.busy,
            message: f.message.clone(),
            route: f.route,
        }
    }

    fn changed(&self, field: &str, change: impl FnOnce(&mut Form)) -> PasswordState {
        self.listeners.change(
            &self.form,
            |f| {
                change(f);
                f.server_errors.retain(|e| e.field != field);
            },
            |f| self.render(f),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl PasswordScreen {
    pub fn state(&self) -> PasswordState {
        self.render(&self.form.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn PasswordListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub fn set_current(&self, password: String) -> PasswordState {
        self.changed("current_password", |f| f.current = password)
    }

    pub fn set_new(&self, password: String) -> PasswordState {
        self.changed("new_password", |f| f.new = password)
    }

    pub fn set_confirm(&self, password: String) -> PasswordState {
        self.changed("confirm", |f| f.confirm = password)
    }

    /// Sends the change if the form holds; then the role's home.
    pub async fn submit(&self) -> PasswordState {
        let req = {
            let mut f = self.form.lock().expect("not poisoned");
            if !self.render(&f).can_submit {
                return self.render(&f);
            }
            f.busy = true;
            PasswordChangeRequest {
                current_password: f.current.clone(),
                new_password: f.new.clone(),
            }
        };
        self.changed("", |_| {});
        let lang = self.client.lang();
        let done = match self.client.change_password(&req).await {
            Ok(()) => self.client.me().await.map(|me| home(&me)),
            Err(e) => Err(e),
        };
        self.changed("", |f| {
            f.busy = false;
            match done {
                Ok(route) => {
                    f.current.clear();
                    f.new.clear();
                    f.confirm.clear();
                    f.message = Some(Text::PasswordChanged.say(lang, &[]));
                    f.route = Some(route);
                }
                Err(e) => {
                    let wrong = e.code() == Some(ErrorCode::PasswordWrong);
                    let t = trouble(&e, lang);
                    f.server_errors = t.fields;
                    if wrong {
                        f.server_errors.push(FieldError {
                            field: "current_password".into(),
                            message: t.message.clone(),
                        });
                    }
                    f.message = Some(t.message);
                    f.route = t.route;
                }
            }
        })
    }
}

//! Signing in: the user name and password, each field's problem named before anything is
//! sent, one attempt at a time, and where to go after — the role's home, a new password first,
//! or waiting for the phone's approval. The password never leaves this object except to the
//! server, and is never part of the state.

use std::sync::{Arc, Mutex};

use crate::app::text::Text;
use crate::app::{home, trouble, FieldError, Listeners, Route, Watching};
use crate::client::Client;

/// What the sign-in screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SignInState {
    pub title: String,
    pub username_label: String,
    pub password_label: String,
    pub submit_label: String,
    pub username: String,
    /// Whether `submit` would send now; `submit_why_not` says why not.
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub busy: bool,
    pub errors: Vec<FieldError>,
    /// What went wrong as a whole (wrong password, locked, offline).
    pub message: Option<String>,
    /// Set once signed in (or sent elsewhere): the app goes there.
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait SignInListener: Send + Sync {
    fn changed(&self, state: SignInState);
}

#[derive(Default)]
struct Form {
    username: String,
    password: String,
    busy: bool,
    errors: Vec<FieldError>,
    message: Option<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct SignInScreen {
    client: Arc<Client>,
    form: Mutex<Form>,
    listeners: Listeners<dyn SignInListener>,
}

impl SignInScreen {
    pub fn new(client: Arc<Client>) -> Arc<SignInScreen> {
        Arc::new(SignInScreen {
            client,
            form: Mutex::new(Form::default()),
            listeners: Listeners::new(),
        })
    }

    /// What is missing before anything can be sent, field by field.
    fn missing(&self, f: &Form) -> Vec<FieldError> {
        let lang = self.client.lang();
        let mut out = vec![];
        if f.username.trim().is_empty() {
            out.push(FieldError {
                field: "username".into(),
                message: Text::UsernameMissing.say(lang, &[]),
            });
        }
        if f.password.is_empty() {
            out.push(FieldError {
                field: "password".into(),
                message: Text::PasswordMissing.say(lang, &[]),
            });
        }
        out
    }

    fn render(&self, f: &Form) -> SignInState {
        let lang = self.client.lang();
        let missing = self.missing(f);
        let why_not = if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else {
            missing.first().map(|m| m.message.clone())
        };
        SignInState {
            title: Text::SignInTitle.say(lang, &[]),
            username_label: Text::UsernameLabel.say(lang, &[]),
            password_label: Text::PasswordLabel.say(lang, &[]),
            submit_label: Text::SignInAction.say(lang, &[]),
            username: f.username.clone(),
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            busy: f.busy,
            errors: f.errors.clone(),
            message: f.message.clone(),
            route: f.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Form)) -> SignInState {
        self.listeners.change(
            &self.form,
            change,
            |f| self.render(f),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl SignInScreen {
    pub fn state(&self) -> SignInState {
        self.render(&self.form.lock().expect("not poisoned"))
    }

    /// Each new state goes to `listener` until the returned handle is dropped.
    pub fn watch(&self, listener: Arc<dyn SignInListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub fn set_username(&self, username: String) -> SignInState {
        self.changed(|f| {
            f.username = username;
            f.errors.retain(|e| e.field != "username");
        })
    }

    pub fn set_password(&self, password: String) -> SignInState {
        self.changed(|f| {
            f.password = password;
            f.errors.retain(|e| e.field != "password");
        })
    }

    /// Signs in: a missing field is named and nothing is sent; one attempt at a time. The
    /// state's `route` says where to go once signed in.
    pub async fn submit(&self) -> SignInState {
        let (username, password) = {
            let mut f = self.form.lock().expect("not poisoned");
            if f.busy {
                return self.render(&f);
            }
            let missing = self.missing(&f);
            if !missing.is_empty() {
                drop(f);
                return self.changed(|f| {
                    f.errors = missing;
                    f.message = None;
                });
            }
            f.busy = true;
            (f.username.trim().to_owned(), f.password.clone())
        };
        self.changed(|f| {
            f.errors.clear();
            f.message = None;
        });
        let got = self.client.login(&username, &password).await;
        let lang = self.client.lang();
        self.changed(|f| {
            f.busy = false;
            match got {
                Ok(me) => {
                    f.password.clear();
                    f.route = Some(home(&me));
                }
                Err(e) => {
                    let t = trouble(&e, lang);
                    f.errors = t.fields;
                    f.message = Some(t.message);
                    f.route = t.route;
                }
            }
        })
    }
}

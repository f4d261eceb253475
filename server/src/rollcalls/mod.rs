//! Video roll calls (视频点名). This slice holds the media path: the server as a WebRTC peer of
//! the call (`peer`), VP8 through libvpx (`vp8`), and a Rust caller for the tests and the
//! benchmark (`caller`); the domain (calls, answering, the judge, jobs) builds on it.

pub mod caller;
pub mod peer;
pub mod vp8;

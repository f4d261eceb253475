//! Video roll calls (视频点名). So far the media path and its verification: the server as a
//! WebRTC peer of the call (`peer`), VP8 through libvpx (`vp8`), the judge of a live call's
//! pictures (`judge`), and a Rust caller for the tests and the benchmark (`caller`); the
//! domain (calls as records, answering, jobs) builds on it.

pub mod caller;
#[cfg(feature = "h264")]
pub mod h264;
pub mod judge;
pub mod peer;
pub mod vp8;

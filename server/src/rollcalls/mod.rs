//! Video roll calls (视频点名). This slice holds the media path: the server as a WebRTC peer of
//! the call (`peer`) and VP8 decoding (`vp8`); the
//! domain (calls, answering over WebRTC, verification) builds on it.

pub mod peer;
pub mod vp8;

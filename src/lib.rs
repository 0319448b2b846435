//! newsie

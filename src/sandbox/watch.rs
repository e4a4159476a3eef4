//! `files.watchDir`: a live stream of filesystem events under a sandbox directory.

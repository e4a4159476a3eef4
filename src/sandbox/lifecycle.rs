//! The sandbox lifecycle beyond create and kill: pause, resume, snapshots, fork, metrics and network.

//! Where a process's events go: every stream attached to it (the `Start` stream that started it,
//! and any `Connect` streams since), each through a bounded queue of its own. Output waits for a
//! slow stream, as envd's does, and a gone stream is dropped; a process with no stream left keeps
//! running. Once the process has ended, nothing more attaches.

use std::sync::Mutex;

use axum::body::Bytes;
use tokio::sync::mpsc;

/// Events queued for one stream before the process's output waits for it.
const QUEUE: usize = 64;

/// One attached stream.
struct Subscriber {
    id: u64,
    events: mpsc::Sender<Bytes>,
    /// The `Start` stream, which ends differently when the process's deadline killed it.
    starter: bool,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    subscribers: Vec<Subscriber>,
    ended: bool,
}

/// The streams attached to one process.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
}

impl Hub {
    /// Attaches a stream: it gets every event published from now on. `None` once the process has ended.
    pub fn subscribe(&self, starter: bool) -> Option<mpsc::Receiver<Bytes>> {
        let mut inner = self.inner.lock().unwrap();
        if inner.ended {
            return None;
        }
        let (events, rx) = mpsc::channel(QUEUE);
        let id = inner.next_id;
        inner.next_id += 1;
        inner.subscribers.push(Subscriber { id, events, starter });
        Some(rx)
    }

    /// Sends `envelope` to every attached stream, waiting while one's queue is full.
    pub async fn publish(&self, envelope: Bytes) {
        let targets: Vec<(u64, mpsc::Sender<Bytes>)> =
            self.inner.lock().unwrap().subscribers.iter().map(|s| (s.id, s.events.clone())).collect();
        let mut gone = Vec::new();
        for (id, events) in targets {
            if events.send(envelope.clone()).await.is_err() {
                gone.push(id);
            }
        }
        if !gone.is_empty() {
            self.inner.lock().unwrap().subscribers.retain(|s| !gone.contains(&s.id));
        }
    }

    /// Ends every stream: the starter gets `to_starter`, the others `to_others`, then their end.
    /// Nothing attaches afterwards.
    pub async fn finish(&self, to_starter: &[Bytes], to_others: &[Bytes]) {
        let subscribers = {
            let mut inner = self.inner.lock().unwrap();
            inner.ended = true;
            std::mem::take(&mut inner.subscribers)
        };
        for s in subscribers {
            for envelope in if s.starter { to_starter } else { to_others } {
                if s.events.send(envelope.clone()).await.is_err() {
                    break;
                }
            }
        }
    }

    /// How many streams are attached.
    pub fn attached(&self) -> usize {
        self.inner.lock().unwrap().subscribers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_stream_gets_what_follows_its_attaching_then_its_own_end() {
        let hub = Hub::default();
        let mut starter = hub.subscribe(true).unwrap();
        hub.publish(Bytes::from_static(b"one")).await;
        let mut late = hub.subscribe(false).unwrap();
        hub.publish(Bytes::from_static(b"two")).await;
        let gone = hub.subscribe(false).unwrap();
        drop(gone);
        hub.publish(Bytes::from_static(b"three")).await;
        assert_eq!(hub.attached(), 2, "a gone stream is dropped");
        hub.finish(&[Bytes::from_static(b"late!")], &[Bytes::from_static(b"end"), Bytes::from_static(b"ok")]).await;
        let mut got = Vec::new();
        while let Some(b) = starter.recv().await {
            got.push(b);
        }
        assert_eq!(got, ["one", "two", "three", "late!"]);
        let mut got = Vec::new();
        while let Some(b) = late.recv().await {
            got.push(b);
        }
        assert_eq!(got, ["two", "three", "end", "ok"]);
        assert!(hub.subscribe(false).is_none(), "nothing attaches to an ended process");
    }
}

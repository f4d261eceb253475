//! Group commit: requests that each want a small write queue it here, and a writer takes
//! everything queued and writes it in one transaction. Why: every commit waits for the
//! database's log to reach the disk, so a commit per request caps a hot path (10,000 phones
//! beating while they study) at the disk's flush rate; one commit for the many requests that
//! arrived while the last one was flushing does not. Batches grow with the load by themselves:
//! the writer never waits for more, it takes what came while it was busy.
//!
//! Up to `writers` batches are written at once (on PostgreSQL `heartbeat_writers`, so one
//! batch's round trips overlap another's work; on SQLite one, its writes go one at a time
//! anyway). No task lives
//! longer than the work: a request that finds a writer missing starts one, and a writer stops
//! when the queue is empty.

use std::sync::{Arc, Mutex};

pub struct GroupCommit<J> {
    inner: Arc<Mutex<Queue<J>>>,
}

struct Queue<J> {
    jobs: Vec<J>,
    writing: usize,
    writers: usize,
}

impl<J> Clone for GroupCommit<J> {
    fn clone(&self) -> Self {
        GroupCommit {
            inner: self.inner.clone(),
        }
    }
}

impl<J> GroupCommit<J> {
    /// A queue written by at most `writers` writers at once (at least one).
    pub fn new(writers: usize) -> Self {
        GroupCommit {
            inner: Arc::new(Mutex::new(Queue {
                jobs: vec![],
                writing: 0,
                writers: writers.max(1),
            })),
        }
    }

    /// Queues a job. When fewer than `writers` are writing, the caller gets a new writer and
    /// must run it (`Writer::take` until it returns `None`), usually on a task of its own.
    #[must_use = "the writer must be run, or the queue waits for the next push"]
    pub fn push(&self, job: J) -> Option<Writer<J>> {
        let mut q = self.inner.lock().expect("not poisoned");
        q.jobs.push(job);
        (q.writing < q.writers).then(|| {
            q.writing += 1;
            Writer {
                queue: self.clone(),
                stopped: false,
            }
        })
    }
}

/// The one writer of a queue. Should it end before `take` returned `None` (a panic), the next
/// `push` makes a new writer for what is still queued.
pub struct Writer<J> {
    queue: GroupCommit<J>,
    stopped: bool,
}

impl<J> Writer<J> {
    /// The next batch, oldest first, at most `max` jobs; `None` when the queue is empty, and
    /// then this writer has stopped.
    pub fn take(&mut self, max: usize) -> Option<Vec<J>> {
        let mut q = self.queue.inner.lock().expect("not poisoned");
        if q.jobs.is_empty() {
            q.writing -= 1;
            self.stopped = true;
            return None;
        }
        let n = q.jobs.len().min(max.max(1));
        Some(q.jobs.drain(..n).collect())
    }
}

impl<J> Drop for Writer<J> {
    fn drop(&mut self) {
        if !self.stopped {
            if let Ok(mut q) = self.queue.inner.lock() {
                q.writing -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_at_a_time_and_a_new_one_once_it_stops() {
        let g = GroupCommit::new(1);
        let mut w = g.push(1).expect("the first job makes the writer");
        assert!(g.push(2).is_none(), "a writer is running");
        assert!(g.push(3).is_none());
        assert_eq!(w.take(2), Some(vec![1, 2]));
        assert_eq!(w.take(2), Some(vec![3]));
        assert_eq!(w.take(2), None, "empty: the writer stops");
        let again = g.push(4).expect("the next job makes a writer again");
        drop(w);
        assert!(
            g.push(5).is_none(),
            "a stopped writer's end leaves the new one alone"
        );
        drop(again);
    }

    #[test]
    fn a_writer_that_dies_lets_the_next_push_make_another() {
        let g = GroupCommit::new(1);
        let mut w = g.push(1).unwrap();
        assert_eq!(w.take(10), Some(vec![1]));
        assert!(g.push(2).is_none());
        drop(w); // ends without draining, as a panic would
        let mut w = g.push(3).expect("nobody is writing any more");
        assert_eq!(w.take(10), Some(vec![2, 3]));
    }

    #[test]
    fn up_to_the_writers_allowed_write_at_once() {
        let g = GroupCommit::new(2);
        let mut first = g.push(1).expect("a writer");
        let mut second = g.push(2).expect("a second writer");
        assert!(g.push(3).is_none(), "two are writing");
        assert_eq!(first.take(10), Some(vec![1, 2, 3]));
        assert_eq!(second.take(10), None, "nothing left: it stops");
        assert!(g.push(4).is_some(), "one writing, one more allowed");
        assert_eq!(first.take(10), Some(vec![4]));
    }
}

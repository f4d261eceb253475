//! Group commit: requests that each want a small write queue it here, and one writer at a time
//! takes everything queued and writes it in one transaction. Why: every commit waits for the
//! database's log to reach the disk, so a commit per request caps a hot path (10,000 phones
//! beating while they study) at the disk's flush rate; one commit for the many requests that
//! arrived while the last one was flushing does not. Batches grow with the load by themselves:
//! the writer never waits for more, it takes what came while it was busy.
//!
//! No task lives longer than the work: the first request to find nobody writing starts the
//! writer, and the writer stops when the queue is empty.

use std::sync::{Arc, Mutex};

pub struct GroupCommit<J> {
    inner: Arc<Mutex<Queue<J>>>,
}

struct Queue<J> {
    jobs: Vec<J>,
    writing: bool,
}

impl<J> Clone for GroupCommit<J> {
    fn clone(&self) -> Self {
        GroupCommit {
            inner: self.inner.clone(),
        }
    }
}

impl<J> Default for GroupCommit<J> {
    fn default() -> Self {
        GroupCommit {
            inner: Arc::new(Mutex::new(Queue {
                jobs: vec![],
                writing: false,
            })),
        }
    }
}

impl<J> GroupCommit<J> {
    /// Queues a job. When nobody is writing, the caller gets the writer and must run it
    /// (`Writer::take` until it returns `None`), usually on a task of its own.
    #[must_use = "the writer must be run, or the queue waits for the next push"]
    pub fn push(&self, job: J) -> Option<Writer<J>> {
        let mut q = self.inner.lock().expect("not poisoned");
        q.jobs.push(job);
        (!std::mem::replace(&mut q.writing, true)).then(|| Writer {
            queue: self.clone(),
            stopped: false,
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
            q.writing = false;
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
                q.writing = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_at_a_time_and_a_new_one_once_it_stops() {
        let g = GroupCommit::default();
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
        let g = GroupCommit::default();
        let mut w = g.push(1).unwrap();
        assert_eq!(w.take(10), Some(vec![1]));
        assert!(g.push(2).is_none());
        drop(w); // ends without draining, as a panic would
        let mut w = g.push(3).expect("nobody is writing any more");
        assert_eq!(w.take(10), Some(vec![2, 3]));
    }
}

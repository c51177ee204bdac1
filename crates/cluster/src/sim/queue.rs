//! `EventQueue`: the simulation's one priority queue, ordered by `(time, seq)`.
//!
//! Ties at the same instant run in insertion order, never in hash or heap order, so a run
//! is reproducible.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// A time-ordered queue of tasks.
#[derive(Debug)]
pub struct EventQueue<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    /// Rises with every [`EventQueue::push`].
    seq: i64,
    /// Falls with every [`EventQueue::push_first`].
    first_seq: i64,
}

#[derive(Debug)]
struct Entry<T> {
    at: SimTime,
    seq: i64,
    task: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            seq: 0,
            first_seq: 0,
        }
    }
}

impl<T> EventQueue<T> {
    /// An empty queue.
    pub fn new() -> EventQueue<T> {
        EventQueue::default()
    }

    /// Schedules `task` at `at`, after everything already scheduled for that instant.
    pub fn push(&mut self, at: SimTime, task: T) {
        self.seq += 1;
        self.insert(at, self.seq, task);
    }

    /// Schedules `task` at `at`, before everything already scheduled for that instant (the
    /// rest of a task's work, so it goes on before the work it caused).
    pub fn push_first(&mut self, at: SimTime, task: T) {
        self.first_seq -= 1;
        self.insert(at, self.first_seq, task);
    }

    fn insert(&mut self, at: SimTime, seq: i64, task: T) {
        self.heap.push(Reverse(Entry { at, seq, task }));
    }

    /// The instant of the earliest task.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    /// Removes and returns the earliest task.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        self.heap.pop().map(|Reverse(e)| (e.at, e.task))
    }

    /// Number of scheduled tasks.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_insertion() {
        let mut q = EventQueue::new();
        q.push(SimTime(20), "c");
        q.push(SimTime(10), "a");
        q.push(SimTime(10), "b");
        q.push(SimTime(5), "first");
        let order: Vec<&str> = std::iter::from_fn(|| q.pop().map(|(_, t)| t)).collect();
        assert_eq!(order, ["first", "a", "b", "c"]);
    }

    #[test]
    fn push_first_goes_before_its_instant() {
        let mut q = EventQueue::new();
        q.push(SimTime(10), "a");
        q.push(SimTime(10), "b");
        q.push_first(SimTime(10), "rest");
        q.push(SimTime(5), "earlier");
        let order: Vec<&str> = std::iter::from_fn(|| q.pop().map(|(_, t)| t)).collect();
        assert_eq!(order, ["earlier", "rest", "a", "b"]);
    }
}

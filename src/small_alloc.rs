//! The npm package's allocator (feature `small-alloc`, wasm32 only): power-of-two size classes,
//! each with a free list, carved from memory that only grows. Freed blocks are reused by the
//! next allocation of their class in O(1) and never merged, so memory use is at most twice
//! what is live plus what was once live per class — fine for a client whose buffers are small
//! or reused (listing pages, 1 MiB read chunks). It replaces dlmalloc, whose ~8 KB of wasm
//! every browser user downloaded (README, "Size").
//!
//! A library must not choose its users' allocator: only the package build (scripts/build-pkg.sh)
//! turns the feature on.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;

const PAGE: usize = 65_536;
/// Memory grows by at least this many pages (1 MiB) at a time: every growth makes JS renew its
/// views of the wasm memory.
const MIN_GROWTH: usize = 16;
/// Classes 2^3 (8 bytes, room for the free-list link) to 2^31.
const MIN_CLASS: u32 = 3;
const CLASSES: usize = 29;

pub struct SmallAlloc {
    state: UnsafeCell<State>,
}

struct State {
    /// The first free block of each class; each free block holds the address of the next.
    free: [usize; CLASSES],
    /// Unused memory between `next` and `end`, taken from `memory.grow`.
    next: usize,
    end: usize,
}

// wasm32-unknown-unknown without the atomics feature runs one thread: nothing is shared.
unsafe impl Sync for SmallAlloc {}

impl SmallAlloc {
    pub const fn new() -> Self {
        SmallAlloc { state: UnsafeCell::new(State { free: [0; CLASSES], next: 0, end: 0 }) }
    }
}

/// The class of a layout: the smallest power of two holding its size and its alignment.
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > PAGE {
        return None;
    }
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS).checked_next_power_of_two()?;
    let class = (size.trailing_zeros() - MIN_CLASS) as usize;
    (class < CLASSES).then_some(class)
}

impl State {
    unsafe fn alloc(&mut self, class: usize) -> *mut u8 {
        let head = self.free[class];
        if head != 0 {
            self.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let size = 1usize << (class as u32 + MIN_CLASS);
        // Blocks are aligned to their size up to a page: every layout of the class fits.
        let align = size.min(PAGE);
        if self.end == 0 {
            self.next = wasm32::memory_size(0) * PAGE;
            self.end = self.next;
        }
        let start = (self.next + align - 1) & !(align - 1);
        let Some(stop) = start.checked_add(size) else { return ptr::null_mut() };
        if stop > self.end {
            let pages = (stop - self.end).div_ceil(PAGE).max(MIN_GROWTH);
            if wasm32::memory_grow(0, pages) == usize::MAX {
                return ptr::null_mut();
            }
            self.end += pages * PAGE;
        }
        self.next = stop;
        start as *mut u8
    }

    unsafe fn dealloc(&mut self, block: *mut u8, class: usize) {
        unsafe { *(block as *mut usize) = self.free[class] };
        self.free[class] = block as usize;
    }
}

unsafe impl GlobalAlloc for SmallAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class(layout) {
            Some(class) => unsafe { (*self.state.get()).alloc(class) },
            None => ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if let Some(class) = class(layout) {
            unsafe { (*self.state.get()).dealloc(block, class) }
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return ptr::null_mut() };
        if class(layout).is_some() && class(layout) == class(new_layout) {
            return block;
        }
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        moved
    }
}

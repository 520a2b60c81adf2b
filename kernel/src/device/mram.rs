//! An MRAM array.

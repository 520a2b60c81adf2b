//! A serial MRAM chip over SPI.

//! Layouts as data and the engine that runs them.

pub mod engine;
pub mod spec;

use std::sync::LazyLock;

pub use spec::{Layout, LayoutError};

/// The built-in layouts, compiled once. A broken built-in layout is a build defect that
/// `every_built_in_layout_loads` catches, so loading here cannot fail at run time.
pub fn built_in() -> &'static [Layout] {
    static LAYOUTS: LazyLock<Vec<Layout>> = LazyLock::new(|| {
        spec::BUILT_IN
            .iter()
            .filter_map(|(name, text)| Layout::from_toml(name, text).ok())
            .collect()
    });
    &LAYOUTS
}

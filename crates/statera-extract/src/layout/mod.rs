//! Layouts as data and the engine that runs them.

pub mod engine;
pub mod spec;

use std::sync::{LazyLock, OnceLock};

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

/// A built-in layout whose spec is parsed up front (detection needs only its phrases) and
/// whose patterns are compiled the first time a document needs it: reading a statement
/// of another bank, or with `--no-layout-hints`, compiles none.
pub struct BuiltIn {
    pub spec: spec::LayoutSpec,
    name: &'static str,
    text: &'static str,
    compiled: OnceLock<Option<Layout>>,
}

impl BuiltIn {
    pub fn layout(&self) -> Option<&Layout> {
        self.compiled
            .get_or_init(|| Layout::from_toml(self.name, self.text).ok())
            .as_ref()
    }
}

/// The built-in layouts, parsed once and compiled on demand.
pub fn built_in_lazy() -> &'static [BuiltIn] {
    static LAYOUTS: LazyLock<Vec<BuiltIn>> = LazyLock::new(|| {
        spec::BUILT_IN
            .iter()
            .filter_map(|(name, text)| {
                let spec: spec::LayoutSpec = toml::from_str(text).ok()?;
                Some(BuiltIn {
                    spec,
                    name,
                    text,
                    compiled: OnceLock::new(),
                })
            })
            .collect()
    });
    &LAYOUTS
}

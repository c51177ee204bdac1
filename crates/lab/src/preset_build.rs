//! A lab whose cluster is being built in steps: the page builds the large presets across
//! frames (showing how many nodes have joined) instead of freezing while thousands of nodes
//! join. The lab it hands over is the one [`Session::with_preset`] makes.

use crate::link::Preset;
use crate::session::Session;

/// A preset's lab under construction.
#[derive(Debug)]
pub struct PresetBuild {
    preset: Preset,
    seed: u64,
    build: cluster::presets::Build,
}

impl PresetBuild {
    /// Starts building `preset` with `seed`; nothing is built until [`PresetBuild::step`].
    pub fn new(preset: Preset, seed: u64) -> PresetBuild {
        PresetBuild {
            preset,
            seed,
            build: preset.start_build(seed),
        }
    }

    /// The preset being built.
    pub fn preset(&self) -> Preset {
        self.preset
    }

    /// Nodes joined so far, and how many the preset has.
    pub fn progress(&self) -> (usize, usize) {
        self.build.progress()
    }

    /// Whether the nodes have joined and the system pods are starting.
    pub fn booting(&self) -> bool {
        self.build.booting()
    }

    /// Builds for as long as `more()` allows. Returns true when the lab is ready.
    pub fn step(&mut self, more: &mut dyn FnMut() -> bool) -> bool {
        self.build.step(more)
    }

    /// The lab, with what is left of the build done at once.
    pub fn finish(self) -> Session {
        let cluster = self.build.finish();
        Session::with_cluster_of(self.preset, self.seed, cluster)
    }
}

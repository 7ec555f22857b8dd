//! Build caches.

use stackwright_core::Val;

/// What a local cache keeps on the build host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalCacheMode {
    /// `LOCAL_SOURCE_CACHE`: the Git metadata of the source.
    Source,
    /// `LOCAL_DOCKER_LAYER_CACHE`: Docker layers (needs privileged mode). A project
    /// setting, not a buildspec one.
    DockerLayer,
    /// `LOCAL_CUSTOM_CACHE`: the buildspec's `cache.paths`.
    Custom,
}

impl LocalCacheMode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LocalCacheMode::Source => "LOCAL_SOURCE_CACHE",
            LocalCacheMode::DockerLayer => "LOCAL_DOCKER_LAYER_CACHE",
            LocalCacheMode::Custom => "LOCAL_CUSTOM_CACHE",
        }
    }
}

/// A project's build cache.
#[derive(Clone, Debug, PartialEq)]
pub enum Cache {
    /// Kept on the build host: fastest, but only hits when the next build lands on the same
    /// host, so it suits frequent builds.
    Local(Vec<LocalCacheMode>),
    /// Kept in S3 between builds (the buildspec's `cache.paths`): slower than local, but
    /// every build sees it. The role gets read and write access to the prefix.
    S3 {
        /// The bucket name.
        bucket: Val<String>,
        /// A key prefix inside the bucket.
        prefix: Option<String>,
    },
}

impl Cache {
    /// An S3 cache under `prefix` in `bucket`.
    pub fn s3(bucket: impl Into<Val<String>>, prefix: impl Into<String>) -> Cache {
        Cache::S3 { bucket: bucket.into(), prefix: Some(prefix.into()) }
    }

    /// Whether the buildspec's `cache.paths` are kept.
    pub(crate) fn keeps_paths(&self) -> bool {
        match self {
            Cache::Local(modes) => modes.contains(&LocalCacheMode::Custom),
            Cache::S3 { .. } => true,
        }
    }
}

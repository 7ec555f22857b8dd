//! The `artifacts` and `reports` sections.

/// The files a build outputs (`artifacts`), and any secondary artifacts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Artifacts {
    pub(crate) files: Vec<String>,
    pub(crate) name: Option<String>,
    pub(crate) discard_paths: Option<bool>,
    pub(crate) base_directory: Option<String>,
    pub(crate) exclude_paths: Vec<String>,
    pub(crate) enable_symlinks: Option<bool>,
    pub(crate) s3_prefix: Option<String>,
    pub(crate) secondary: Vec<(String, Artifacts)>,
}

impl Artifacts {
    /// These files (paths or globs relative to the base directory; `**/*` for all).
    pub fn new<S: Into<String>>(files: impl IntoIterator<Item = S>) -> Artifacts {
        Artifacts { files: files.into_iter().map(Into::into).collect(), ..Artifacts::default() }
    }

    /// Names the artifact.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Flattens the files into the artifact's root (`discard-paths`).
    pub fn discard_paths(mut self, on: bool) -> Self {
        self.discard_paths = Some(on);
        self
    }

    /// The directory the file paths are relative to.
    pub fn base_directory(mut self, dir: impl Into<String>) -> Self {
        self.base_directory = Some(dir.into());
        self
    }

    /// Leaves out files matching these paths.
    pub fn exclude_paths<S: Into<String>>(mut self, paths: impl IntoIterator<Item = S>) -> Self {
        self.exclude_paths.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Keeps symbolic links in a zipped artifact.
    pub fn enable_symlinks(mut self, on: bool) -> Self {
        self.enable_symlinks = Some(on);
        self
    }

    /// A prefix for the artifact's S3 key.
    pub fn s3_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.s3_prefix = Some(prefix.into());
        self
    }

    /// Adds a secondary artifact under its identifier (which a pipeline action's output
    /// artifact, or the project's secondary artifacts, name).
    pub fn secondary(mut self, identifier: impl Into<String>, artifacts: Artifacts) -> Self {
        let id = identifier.into();
        match self.secondary.iter_mut().find(|(i, _)| *i == id) {
            Some((_, a)) => *a = artifacts,
            None => self.secondary.push((id, artifacts)),
        }
        self
    }
}

/// The format of a test or coverage report (`file-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// JUnit XML (the default).
    JunitXml,
    /// Cucumber JSON.
    CucumberJson,
    /// TestNG XML.
    TestNgXml,
    /// Visual Studio TRX.
    VisualStudioTrx,
    /// NUnit XML.
    NunitXml,
    /// NUnit 3 XML.
    Nunit3Xml,
    /// Clover XML (coverage).
    CloverXml,
    /// Cobertura XML (coverage).
    CoberturaXml,
    /// JaCoCo XML (coverage).
    JacocoXml,
    /// SimpleCov JSON (coverage).
    SimpleCov,
}

impl ReportFormat {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ReportFormat::JunitXml => "JUNITXML",
            ReportFormat::CucumberJson => "CUCUMBERJSON",
            ReportFormat::TestNgXml => "TESTNGXML",
            ReportFormat::VisualStudioTrx => "VISUALSTUDIOTRX",
            ReportFormat::NunitXml => "NUNITXML",
            ReportFormat::Nunit3Xml => "NUNIT3XML",
            ReportFormat::CloverXml => "CLOVERXML",
            ReportFormat::CoberturaXml => "COBERTURAXML",
            ReportFormat::JacocoXml => "JACOCOXML",
            ReportFormat::SimpleCov => "SIMPLECOV",
        }
    }
}

/// A report: the files a test run writes and their format.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub(crate) files: Vec<String>,
    pub(crate) base_directory: Option<String>,
    pub(crate) discard_paths: Option<bool>,
    pub(crate) file_format: Option<ReportFormat>,
}

impl Report {
    /// These report files (paths or globs).
    pub fn new<S: Into<String>>(files: impl IntoIterator<Item = S>) -> Report {
        Report { files: files.into_iter().map(Into::into).collect(), ..Report::default() }
    }

    /// The directory the file paths are relative to.
    pub fn base_directory(mut self, dir: impl Into<String>) -> Self {
        self.base_directory = Some(dir.into());
        self
    }

    /// Ignores the directories of the report files.
    pub fn discard_paths(mut self, on: bool) -> Self {
        self.discard_paths = Some(on);
        self
    }

    /// The report format (JUnit XML when not set).
    pub fn file_format(mut self, format: ReportFormat) -> Self {
        self.file_format = Some(format);
        self
    }
}

//! Where the output folder sits in the source repository, so templates can point at the
//! companion files written into it (a project's buildspec) by their path in the source.

use std::path::{Component, Path, PathBuf};

/// The output folder `out` as a `/`-separated path relative to the source root: `root` when
/// given (`--source-root`), else the nearest folder above `out` holding `.git`, else the
/// current directory `cwd`. An output folder in no repository and outside `cwd` (a scratch
/// folder) is taken to be committed at the root under its own name.
pub(crate) fn output_dir_in_source(
    cwd: &Path,
    out: &Path,
    root: Option<&Path>,
) -> Result<String, String> {
    let out_abs = normalize(&cwd.join(out));
    let root_abs = match root {
        Some(root) => normalize(&cwd.join(root)),
        None => repository_root(&out_abs).unwrap_or_else(|| normalize(cwd)),
    };
    let relative = match out_abs.strip_prefix(&root_abs) {
        Ok(relative) => relative,
        Err(_) if root.is_none() => Path::new(out_abs.file_name().unwrap_or_default()),
        Err(_) => {
            return Err(format!(
                "the output folder {} is outside the source root {}; templates could not point at \
             the files written there. Write inside the repository, or name its root with \
             --source-root",
                out_abs.display(),
                root_abs.display()
            ));
        }
    };
    let mut parts = Vec::new();
    for part in relative.components() {
        match part.as_os_str().to_str() {
            Some(text) => parts.push(text),
            None => {
                return Err(format!(
                    "the output folder {} is not valid UTF-8, so templates cannot name it; \
                     choose another --out",
                    out_abs.display()
                ));
            }
        }
    }
    Ok(parts.join("/"))
}

/// The nearest folder at or above `dir` that holds `.git` (a folder, or a file in a
/// worktree).
fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// `path` with `.` dropped and `..` applied, without touching the filesystem: the output
/// folder need not exist yet.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stackwright-source-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn relative_to_the_repository_above_the_current_directory() {
        let repo = temp("repo");
        fs::create_dir_all(repo.join(".git")).unwrap();
        fs::create_dir_all(repo.join("infra")).unwrap();
        let cwd = repo.join("infra");
        assert_eq!(output_dir_in_source(&cwd, Path::new("stacks"), None).unwrap(), "infra/stacks");
        assert_eq!(
            output_dir_in_source(&cwd, Path::new("./out/../cfn"), None).unwrap(),
            "infra/cfn"
        );
        assert_eq!(output_dir_in_source(&repo, Path::new("stacks"), None).unwrap(), "stacks");
        assert_eq!(output_dir_in_source(&repo, Path::new("."), None).unwrap(), "");
        fs::remove_dir_all(&repo).unwrap();
    }

    #[test]
    fn relative_to_the_current_directory_outside_a_repository() {
        let cwd = temp("plain");
        assert_eq!(output_dir_in_source(&cwd, Path::new("a/b"), None).unwrap(), "a/b");
        let elsewhere = cwd.join("../elsewhere/cfn");
        assert_eq!(output_dir_in_source(&cwd, &elsewhere, None).unwrap(), "cfn");
        fs::remove_dir_all(&cwd).unwrap();
    }

    #[test]
    fn an_explicit_root_wins_and_must_contain_the_folder() {
        let cwd = temp("explicit");
        fs::create_dir_all(cwd.join("app")).unwrap();
        let root = cwd.join("app");
        assert_eq!(
            output_dir_in_source(&cwd, Path::new("app/stacks"), Some(&root)).unwrap(),
            "stacks"
        );
        let e =
            output_dir_in_source(&cwd, Path::new("stacks"), Some(Path::new("app"))).unwrap_err();
        assert_eq!(
            e,
            format!(
                "the output folder {} is outside the source root {}; templates could not point at \
                 the files written there. Write inside the repository, or name its root with \
                 --source-root",
                cwd.join("stacks").display(),
                root.display()
            )
        );
        fs::remove_dir_all(&cwd).unwrap();
    }
}

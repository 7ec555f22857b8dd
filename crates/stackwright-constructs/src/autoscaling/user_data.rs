//! The instances' user data: a shell script that installs the CodeDeploy agent when asked,
//! then runs the user's commands.

use stackwright_core::{Val, pseudo, sub};

/// The user data script: `#!/bin/bash`, the agent's install when `agent`, then `commands`.
/// `None` when there is nothing to run.
pub(crate) fn script(agent: bool, commands: &[String]) -> Option<Val<String>> {
    if !agent && commands.is_empty() {
        return None;
    }
    let mut text: Val<String> = Val::from("#!/bin/bash\nset -euo pipefail\n");
    if agent {
        // The install script CodeDeploy documents, from the bucket of the instance's own
        // region; the instance role may read that bucket.
        text = sub!(
            "{}yum install -y ruby wget\ncd /tmp\nwget https://aws-codedeploy-{}.s3.{}.{}/latest/install\nchmod +x ./install\n./install auto\nsystemctl enable --now codedeploy-agent\n",
            text,
            pseudo::region(),
            pseudo::region(),
            pseudo::url_suffix()
        );
    }
    for command in commands {
        text = sub!("{}{}\n", text, Val::<String>::from(command.as_str()));
    }
    Some(text)
}

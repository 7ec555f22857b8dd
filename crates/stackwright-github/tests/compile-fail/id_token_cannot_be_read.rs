// GitHub's `id-token` scope is `write` or `none`; `read` does not exist.
use stackwright_github::{Access, Permissions};

fn main() {
    let _ = Permissions::none().id_token(Access::Read);
}

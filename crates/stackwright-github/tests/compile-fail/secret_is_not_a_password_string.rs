// A container registry password is an expression (a secret), never a string; an
// expression built from a string literal is refused by the check `github.secret-literal`.
use stackwright_github::Container;

fn main() {
    let _ = Container::new("ghcr.io/o/img:1").credentials("me", "hunter2");
}

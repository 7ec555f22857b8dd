// Only steps that use an action have a reference to pin.
use stackwright_github::Step;

fn main() {
    let _ = Step::run("make").pin("11bd71901bbe5b1630ceea73d27597364c9af683");
}

//! Dependency graphs: finding cycles and a deployment order.
//!
//! Nodes are indices `0..n`; `edges[a]` lists the nodes `a` depends on. Everything is
//! iterative, so a chain of 10,000 resources cannot overflow the stack.

/// Every cycle in the graph, one per strongly connected component that has one, each as the
/// nodes around it with the first repeated at the end. Deterministic: components are found in
/// node order and each cycle starts at the component's lowest node.
pub(crate) fn cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for component in strongly_connected(edges) {
        let start = component[0];
        let in_component = |n: usize| component.binary_search(&n).is_ok();
        let self_loop = edges[start].contains(&start);
        if component.len() == 1 && !self_loop {
            continue;
        }
        if let Some(path) = shortest_path_back(edges, start, &in_component) {
            out.push(path);
        }
    }
    out
}

/// A shortest cycle through `start` within a component (breadth-first).
fn shortest_path_back(
    edges: &[Vec<usize>],
    start: usize,
    inside: &dyn Fn(usize) -> bool,
) -> Option<Vec<usize>> {
    let mut prev = vec![usize::MAX; edges.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &m in &edges[n] {
            if !inside(m) {
                continue;
            }
            if m == start {
                let mut back = vec![n];
                let mut at = n;
                while at != start {
                    at = prev[at];
                    back.push(at);
                }
                back.reverse();
                back.push(start);
                return Some(back);
            }
            if prev[m] == usize::MAX && m != start {
                prev[m] = n;
                queue.push_back(m);
            }
        }
    }
    None
}

/// Tarjan's algorithm, iteratively. Each component is returned sorted; components are
/// ordered by their lowest node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut components = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components.sort_by_key(|c| c[0]);
    components
}

/// A deployment order (dependencies first), ties broken by node order. `None` when the graph
/// has a cycle.
pub(crate) fn topological_order(edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    let n = edges.len();
    let mut remaining: Vec<usize> =
        edges.iter().map(|e| e.iter().filter(|&&d| d != usize::MAX).count()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, deps) in edges.iter().enumerate() {
        for &d in deps {
            dependents[d].push(a);
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&i| remaining[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &a in &dependents[i] {
            remaining[a] -= 1;
            if remaining[a] == 0 {
                ready.insert(a);
            }
        }
    }
    (order.len() == n).then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_cycle_and_only_it() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0, 4 -> 4
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        assert_eq!(cycles(&edges), vec![vec![0, 1, 2, 0], vec![4, 4]]);
    }

    #[test]
    fn acyclic_graphs_have_an_order() {
        let edges = vec![vec![1, 2], vec![2], vec![]];
        assert_eq!(cycles(&edges), Vec::<Vec<usize>>::new());
        assert_eq!(topological_order(&edges), Some(vec![2, 1, 0]));
        assert_eq!(topological_order(&[vec![1], vec![0]]), None);
    }

    #[test]
    fn long_chains_do_not_overflow() {
        let n = 100_000;
        let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        edges[n - 1] = vec![0];
        let found = cycles(&edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n + 1);
    }
}

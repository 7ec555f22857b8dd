//! The checks of the pack's rules, over a rendered resource.

use stackwright_core::emit::Node;
use stackwright_core::security::ResourceView;

/// A finding when the property is not set.
pub(super) fn absent(r: &ResourceView<'_>, property: &str, out: &mut Vec<String>) {
    if r.property(property).is_none() {
        out.push(String::new());
    }
}

/// A finding when the property is not the string `value`.
pub(super) fn not_equal(r: &ResourceView<'_>, property: &str, value: &str, out: &mut Vec<String>) {
    if !matches!(r.property(property), Some(Node::Str(s)) if s == value) {
        out.push(String::new());
    }
}

/// A finding when the property is not `true`.
pub(super) fn not_true(r: &ResourceView<'_>, property: &str, out: &mut Vec<String>) {
    if !is_true(r.property(property)) {
        out.push(String::new());
    }
}

pub(super) fn is_true(node: Option<&Node>) -> bool {
    match node {
        Some(Node::Bool(b)) => *b,
        Some(Node::Str(s)) => s == "true",
        _ => false,
    }
}

pub(super) fn sqs_encrypted(r: &ResourceView<'_>, out: &mut Vec<String>) {
    let kms = r.property("KmsMasterKeyId").is_some();
    // SQS-managed encryption is on unless turned off.
    let managed = !matches!(r.property("SqsManagedSseEnabled"), Some(Node::Bool(false)));
    if !kms && !managed {
        out.push(String::new());
    }
}

/// The value of a load balancer attribute.
fn attribute<'a>(r: &ResourceView<'a>, key: &str) -> Option<&'a Node> {
    let Some(Node::List(items)) = r.property("LoadBalancerAttributes") else { return None };
    items.iter().find(|i| matches!(i.get("Key"), Some(Node::Str(k)) if k == key))?.get("Value")
}

fn is_application(r: &ResourceView<'_>) -> bool {
    matches!(r.property("Type"), None | Some(Node::Str(_)))
        && !matches!(r.property("Type"), Some(Node::Str(t)) if t != "application")
}

pub(super) fn elb_drop_headers(r: &ResourceView<'_>, out: &mut Vec<String>) {
    if is_application(r)
        && !is_true(attribute(r, "routing.http.drop_invalid_header_fields.enabled"))
    {
        out.push(String::new());
    }
}

pub(super) fn elb_access_logs(r: &ResourceView<'_>, out: &mut Vec<String>) {
    if !is_true(attribute(r, "access_logs.s3.enabled")) {
        out.push(String::new());
    }
}

fn listener_port(r: &ResourceView<'_>) -> String {
    match r.property("Port") {
        Some(Node::Int(p)) => format!("port {p}"),
        _ => String::new(),
    }
}

/// Whether the listener's first default action redirects to HTTPS.
fn redirects_to_https(r: &ResourceView<'_>) -> bool {
    matches!(r.property("DefaultActions.0.RedirectConfig.Protocol"), Some(Node::Str(p)) if p == "HTTPS")
}

fn protocol<'a>(r: &ResourceView<'a>) -> &'a str {
    match r.property("Protocol") {
        Some(Node::Str(p)) => p.as_str(),
        _ => "",
    }
}

pub(super) fn listener_https(r: &ResourceView<'_>, out: &mut Vec<String>) {
    let secure = matches!(protocol(r), "HTTPS" | "TLS" | "TCP" | "UDP" | "TCP_UDP");
    if !secure && !redirects_to_https(r) {
        out.push(listener_port(r));
    }
}

pub(super) fn listener_tls(r: &ResourceView<'_>, out: &mut Vec<String>) {
    let ok = match protocol(r) {
        "HTTPS" => matches!(r.property("SslPolicy"), Some(Node::Str(p))
            if p.starts_with("ELBSecurityPolicy-TLS-1-2") || p.starts_with("ELBSecurityPolicy-TLS13-1-2")
                || p.starts_with("ELBSecurityPolicy-FS-1-2")),
        "TLS" => matches!(r.property("SslPolicy"), Some(Node::Str(p))
            if p.starts_with("ELBSecurityPolicy-TLS13-1-2") || p.starts_with("ELBSecurityPolicy-TLS-1-2")
                || p.starts_with("ELBSecurityPolicy-FS-1-2")),
        "TCP" | "UDP" | "TCP_UDP" => true,
        _ => redirects_to_https(r),
    };
    if !ok {
        out.push(listener_port(r));
    }
}

/// Whether an ingress rule admits the whole internet to `port`.
fn opens_port(rule: &Node, port: i64) -> bool {
    let anywhere = matches!(rule.get("CidrIp"), Some(Node::Str(c)) if c == "0.0.0.0/0")
        || matches!(rule.get("CidrIpv6"), Some(Node::Str(c)) if c == "::/0");
    let all = matches!(rule.get("IpProtocol"), Some(Node::Str(p)) if p == "-1")
        || matches!(rule.get("IpProtocol"), Some(Node::Int(-1)));
    let bound = |k| match rule.get(k) {
        Some(Node::Int(p)) => Some(*p),
        Some(Node::Str(p)) => p.parse().ok(),
        _ => None,
    };
    let covers = match (bound("FromPort"), bound("ToPort")) {
        (Some(from), Some(to)) => (from..=to).contains(&port) || from == -1,
        _ => false,
    };
    anywhere && (all || covers)
}

/// A finding `port <port>` when a security group, or a standalone ingress rule, admits the
/// whole internet to `port`.
pub(super) fn open_port(r: &ResourceView<'_>, port: i64, out: &mut Vec<String>) {
    let open = if r.resource_type() == "AWS::EC2::SecurityGroupIngress" {
        let rule = Node::Map(
            ["CidrIp", "CidrIpv6", "IpProtocol", "FromPort", "ToPort"]
                .iter()
                .filter_map(|k| r.property(k).map(|v| ((*k).to_owned(), v.clone())))
                .collect(),
        );
        opens_port(&rule, port)
    } else {
        let Some(Node::List(rules)) = r.property("SecurityGroupIngress") else { return };
        rules.iter().any(|rule| opens_port(rule, port))
    };
    if open {
        out.push(format!("port {port}"));
    }
}

pub(super) fn open_http(r: &ResourceView<'_>, out: &mut Vec<String>) {
    open_port(r, 80, out);
}

pub(super) fn kms_rotation(r: &ResourceView<'_>, out: &mut Vec<String>) {
    let symmetric = matches!(r.property("KeySpec"), None | Some(Node::Str(_)))
        && !matches!(r.property("KeySpec"), Some(Node::Str(s)) if s != "SYMMETRIC_DEFAULT");
    if symmetric && !is_true(r.property("EnableKeyRotation")) {
        out.push(String::new());
    }
}

/// The string a node holds, if it is a plain string.
pub(super) fn text(node: Option<&Node>) -> Option<&str> {
    match node {
        Some(Node::Str(s)) => Some(s),
        _ => None,
    }
}

/// The items of a node that IAM reads as one value or a list of them.
pub(super) fn items(node: Option<&Node>) -> Vec<&Node> {
    match node {
        Some(Node::List(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

/// Whether a statement's principal is everyone (`"*"` or `{"AWS": "*"}`).
pub(super) fn principal_is_anyone(statement: &Node) -> bool {
    let Some(principal) = statement.get("Principal") else { return false };
    if text(Some(principal)) == Some("*") {
        return true;
    }
    items(principal.get("AWS")).into_iter().any(|p| text(Some(p)) == Some("*"))
}

/// How a statement is named in a finding: its `Sid`, or its position from 1.
pub(super) fn statement_name(statement: &Node, index: usize) -> String {
    match text(statement.get("Sid")) {
        Some(sid) => format!("statement {sid}"),
        None => format!("statement {}", index + 1),
    }
}

/// Whether `value` is a `Ref` or `Fn::GetAtt` of the resource `logical_id`.
pub(super) fn refers_to(value: &Node, logical_id: &str) -> bool {
    match value {
        Node::Fn(name, arg) if name == "Ref" => text(Some(arg)) == Some(logical_id),
        Node::Fn(name, arg) if name == "Fn::GetAtt" => match arg.as_ref() {
            Node::List(parts) => text(parts.first()) == Some(logical_id),
            Node::Str(dotted) => dotted.split('.').next() == Some(logical_id),
            _ => false,
        },
        _ => false,
    }
}

/// A finding when no resource policy of `policy_type` in the template names the resource
/// under `targets` (a list, or one value) and denies requests made without TLS.
pub(super) fn tls_only(
    r: &ResourceView<'_>,
    policy_type: &str,
    targets: &str,
    document: &str,
    out: &mut Vec<String>,
) {
    let covered = r.template().any(|p| {
        p.resource_type() == policy_type
            && items(p.property(targets)).into_iter().any(|t| refers_to(t, r.logical_id()))
            && denies_plain_transport(p.property(document))
    });
    if !covered {
        out.push(String::new());
    }
}

/// Whether a policy document denies requests whose `aws:SecureTransport` is false.
fn denies_plain_transport(document: Option<&Node>) -> bool {
    let Some(document) = document else { return false };
    items(document.get("Statement")).into_iter().any(|s| {
        text(s.get("Effect")) == Some("Deny")
            && s.get("Condition")
                .and_then(|c| c.get("Bool"))
                .and_then(|b| b.get("aws:SecureTransport"))
                .is_some_and(|v| matches!(v, Node::Bool(false)) || text(Some(v)) == Some("false"))
    })
}

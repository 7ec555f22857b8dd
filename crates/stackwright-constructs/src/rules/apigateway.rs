//! Rules for the API Gateway REST APIs a template declares, directly or through SAM.

use stackwright_core::emit::Node;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{is_true, items, not_true, refers_to, text};

/// A REST API's stage, or a SAM API (whose stage SAM creates).
const STAGES: &[&str] = &["AWS::ApiGateway::Stage", "AWS::Serverless::Api"];

/// Methods authorize their callers.
pub static APIGATEWAY_METHOD_AUTH: SecurityRule = SecurityRule {
    id: "apigateway.method-auth",
    severity: Severity::High,
    resource_types: &["AWS::ApiGateway::Method"],
    cdk_nag: &["AwsSolutions-APIG4"],
    checkov: &["CKV_AWS_59"],
    guard: &[],
    message: "the method lets anyone call it: no authorizer and no API key",
    fix: "set AuthorizationType to AWS_IAM, COGNITO_USER_POOLS or CUSTOM, or require an API \
          key; suppress for a deliberately public endpoint",
    check: |r, out| {
        let open = text(r.property("AuthorizationType")) == Some("NONE")
            && text(r.property("HttpMethod")) != Some("OPTIONS")
            && !is_true(r.property("ApiKeyRequired"));
        if open {
            out.push(text(r.property("HttpMethod")).unwrap_or_default().to_owned());
        }
    },
};

/// Stages trace requests with X-Ray.
pub static APIGATEWAY_TRACING: SecurityRule = SecurityRule {
    id: "apigateway.tracing",
    severity: Severity::Low,
    resource_types: STAGES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_73"],
    guard: &["API_GW_XRAY_ENABLED"],
    message: "the API's stage does not trace requests with X-Ray",
    fix: "set TracingEnabled to true",
    check: |r, out| not_true(r, "TracingEnabled", out),
};

/// Stages log every request.
pub static APIGATEWAY_ACCESS_LOGS: SecurityRule = SecurityRule {
    id: "apigateway.access-logs",
    severity: Severity::Medium,
    resource_types: STAGES,
    cdk_nag: &["AwsSolutions-APIG1"],
    checkov: &["CKV_AWS_76"],
    guard: &[],
    message: "the API's stage does not log requests",
    fix: "set AccessLogSetting with a DestinationArn (a log group with a retention)",
    check: |r, out| {
        if r.property("AccessLogSetting.DestinationArn").is_none() {
            out.push(String::new());
        }
    },
};

/// Stages cache responses.
pub static APIGATEWAY_CACHE: SecurityRule = SecurityRule {
    id: "apigateway.cache",
    severity: Severity::Low,
    resource_types: STAGES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_120"],
    guard: &[],
    message: "the API's stage has no cache, so every request reaches the backend",
    fix: "set CacheClusterEnabled to true, or suppress when responses must not be cached",
    check: |r, out| not_true(r, "CacheClusterEnabled", out),
};

/// HTTP API stages log every request.
pub static APIGATEWAY_V2_ACCESS_LOGS: SecurityRule = SecurityRule {
    id: "apigateway.v2-access-logs",
    severity: Severity::Medium,
    resource_types: &["AWS::ApiGatewayV2::Stage", "AWS::Serverless::HttpApi"],
    cdk_nag: &["AwsSolutions-APIG1"],
    checkov: &["CKV_AWS_95"],
    guard: &[],
    message: "the HTTP API's stage does not log requests",
    fix: "set AccessLogSettings with a DestinationArn (a log group with a retention)",
    check: |r, out| {
        if r.property("AccessLogSettings.DestinationArn").is_none() {
            out.push(String::new());
        }
    },
};

/// REST APIs validate requests before they reach the backend.
pub static APIGATEWAY_REQUEST_VALIDATION: SecurityRule = SecurityRule {
    id: "apigateway.request-validation",
    severity: Severity::Low,
    resource_types: &["AWS::ApiGateway::RestApi"],
    cdk_nag: &["AwsSolutions-APIG2"],
    checkov: &[],
    guard: &[],
    message: "the REST API has no request validator",
    fix: "add an AWS::ApiGateway::RequestValidator for the API validating the body and \
          parameters",
    check: |r, out| {
        let validated = r.template().any(|v| {
            v.resource_type() == "AWS::ApiGateway::RequestValidator"
                && v.property("RestApiId").is_some_and(|id| refers_to(id, r.logical_id()))
        });
        if !validated {
            out.push(String::new());
        }
    },
};

/// Stages log the execution of every method.
pub static APIGATEWAY_EXECUTION_LOGS: SecurityRule = SecurityRule {
    id: "apigateway.execution-logs",
    severity: Severity::Low,
    resource_types: STAGES,
    cdk_nag: &["AwsSolutions-APIG6"],
    checkov: &[],
    guard: &["API_GW_EXECUTION_LOGGING_ENABLED"],
    message: "the stage does not log the execution of all its methods to CloudWatch",
    fix: "add a MethodSettings entry with HttpMethod `*`, ResourcePath `/*` and LoggingLevel \
          ERROR or INFO",
    check: |r, out| {
        let logged = items(r.property("MethodSettings")).into_iter().any(|s| {
            text(s.get("HttpMethod")) == Some("*")
                && text(s.get("ResourcePath")) == Some("/*")
                && matches!(text(s.get("LoggingLevel")), Some("ERROR" | "INFO"))
        });
        if !logged {
            out.push(String::new());
        }
    },
};

/// SAM functions reach the internet through an API declared with its settings, not the
/// implicit one SAM creates for `Api` events.
pub static SAM_IMPLICIT_API: SecurityRule = SecurityRule {
    id: "sam.implicit-api",
    severity: Severity::Medium,
    resource_types: &["AWS::Serverless::Function"],
    cdk_nag: &[],
    checkov: &[],
    guard: &[],
    message: "an Api event makes SAM create an implicit REST API (ServerlessRestApi) with no \
              access logs, tracing or authorizer, which no other rule sees in the template",
    fix: "declare an AWS::Serverless::Api with AccessLogSetting, TracingEnabled and Auth, and \
          name it in the event's RestApiId",
    check: |r, out| {
        let Some(Node::Map(events)) = r.property("Events") else { return };
        for (name, event) in events {
            let implicit = text(event.get("Type")) == Some("Api")
                && event.get("Properties").and_then(|p| p.get("RestApiId")).is_none();
            if implicit {
                out.push(format!("event {name}"));
            }
        }
    },
};

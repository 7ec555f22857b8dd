//! CloudWatch: metric alarms, such as the ones that roll a CodeDeploy deployment back.

mod alarm;

pub use alarm::{Alarm, AlarmProps, ComparisonOperator, Metric, Statistic, TreatMissingData};

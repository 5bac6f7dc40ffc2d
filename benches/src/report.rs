//! Bench reports: a human table and the one-line JSON object
//! `{"suite":..,"cpu":..,"features":[..],"threads":..,"figures":[{"name":..,"value":..,"unit":..}]}`.

use serde_json::json;

/// One measured figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Dotted name, e.g. `fr.mul.latency`.
    pub name: String,
    /// The value.
    pub value: f64,
    /// Unit: `ns`, `ms`, `bytes`, `MiB`, `ratio`, `count`, ...
    pub unit: &'static str,
}

impl Figure {
    /// A figure.
    pub fn new(name: impl Into<String>, value: f64, unit: &'static str) -> Self {
        Self {
            name: name.into(),
            value,
            unit,
        }
    }
}

/// A suite's figures with the machine they were measured on.
#[derive(Debug, Clone)]
pub struct Report {
    /// Suite name.
    pub suite: String,
    /// CPU model name.
    pub cpu: String,
    /// CPU features relevant to kaizen that this CPU has.
    pub features: Vec<String>,
    /// Rayon threads.
    pub threads: usize,
    /// The figures.
    pub figures: Vec<Figure>,
}

impl Report {
    /// Wraps figures with the machine description.
    pub fn new(suite: &str, figures: Vec<Figure>) -> Self {
        Self {
            suite: suite.to_string(),
            cpu: cpu_name(),
            features: cpu_features(),
            threads: rayon::current_num_threads(),
            figures,
        }
    }

    /// The one-line JSON object.
    pub fn to_json(&self) -> String {
        let figures: Vec<_> = self
            .figures
            .iter()
            .map(|f| json!({"name": f.name, "value": f.value, "unit": f.unit}))
            .collect();
        json!({
            "suite": self.suite,
            "cpu": self.cpu,
            "features": self.features,
            "threads": self.threads,
            "figures": figures,
        })
        .to_string()
    }

    /// A human-readable table.
    pub fn to_table(&self) -> String {
        let mut s = format!(
            "suite {} on {} ({} threads; features: {})\n",
            self.suite,
            self.cpu,
            self.threads,
            self.features.join(" ")
        );
        let w = self.figures.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for f in &self.figures {
            s.push_str(&format!(
                "  {:<w$}  {:>14.3} {}\n",
                f.name,
                f.value,
                f.unit,
                w = w
            ));
        }
        s
    }
}

fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

fn cpu_features() -> Vec<String> {
    let mut v = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! feat {
            ($($f:tt),*) => {$(
                if std::arch::is_x86_feature_detected!($f) {
                    v.push($f.to_string());
                }
            )*};
        }
        feat!(
            "bmi2",
            "adx",
            "avx2",
            "avx512f",
            "avx512ifma",
            "avx512vbmi2",
            "sha"
        );
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") {
            v.push("neon".to_string());
        }
    }
    v
}

//! The physical plan: the logical plan cut into pipelines. A pipeline is a
//! source (a scan's partitions, constant rows, or a finished child) plus
//! streaming stages (filter, project) that run on every partition in
//! parallel; pipeline breakers (hash aggregate, sort, top, limit, union)
//! consume a pipeline's output. `explain` prints this tree.

use std::fmt::Write;

use arrow::array::RecordBatch;
use iishunt_plan::expr::{AggregateCall, BoundExpr, SortExpr};
use iishunt_plan::logical::{LogicalPlan, WindowCall};
use iishunt_plan::schema::Schema;

use crate::error::Result;
use crate::ops::hash_join::JoinSpec;
use crate::ops::make_series::MakeSeriesSpec;
use crate::ops::mv_expand::MvExpandSpec;
use crate::ops::sequence_scan::ScanSpec;
use crate::ops::values::values_batch;
use crate::source::{DataSource, Partition};

pub enum PhysicalPlan {
    /// Run the pipeline and keep every row.
    Collect(Pipeline),
    /// Partial aggregation per partition chunk, then a merge in partition order.
    /// `having` filters the groups (a `where` right after `summarize`).
    HashAggregate {
        input: Pipeline,
        keys: Vec<BoundExpr>,
        aggregates: Vec<AggregateCall>,
        having: Option<BoundExpr>,
        schema: Schema,
    },
    Sort {
        input: Pipeline,
        keys: Vec<SortExpr>,
    },
    TopN {
        input: Pipeline,
        keys: Vec<SortExpr>,
        n: usize,
    },
    Limit {
        input: Pipeline,
        n: usize,
    },
    Union {
        inputs: Vec<PhysicalPlan>,
        mappings: Vec<Vec<Option<usize>>>,
        schema: Schema,
    },
    /// Builds a hash table of `right`, then probes it with `left`'s batches.
    HashJoin {
        left: Box<PhysicalPlan>,
        right: Box<PhysicalPlan>,
        spec: JoinSpec,
        schema: Schema,
    },
    /// One row per element of the expanded columns, batch by batch.
    MvExpand {
        input: Pipeline,
        spec: MvExpandSpec,
        schema: Schema,
    },
    /// Window functions over the whole input as one ordered stream.
    Window {
        input: Pipeline,
        calls: Vec<WindowCall>,
        schema: Schema,
    },
    /// `scan`: the state machine over the whole input as one ordered stream.
    SequenceScan {
        input: Pipeline,
        spec: ScanSpec,
        schema: Schema,
    },
    /// Collects the (group, bin) cells of a `make-series`, then lays them out.
    MakeSeries {
        input: Pipeline,
        spec: MakeSeriesSpec,
        schema: Schema,
    },
    /// `materialize(T)`: `input` runs once per query; every node with the
    /// same `key` (the same optimised plan) reads the rows it kept.
    Materialize {
        key: u64,
        input: Box<PhysicalPlan>,
    },
    /// `make-graph … | graph-…`: collects the edges (and nodes), builds the
    /// graph, and makes one table of it.
    Graph {
        edges: Box<PhysicalPlan>,
        nodes: Option<Box<PhysicalPlan>>,
        spec: Box<iishunt_plan::graph::GraphSpec>,
        schema: Schema,
    },
}

pub struct Pipeline {
    pub source: PipelineSource,
    pub stages: Vec<Stage>,
    pub schema: Schema,
}

pub enum PipelineSource {
    Scan {
        table: String,
        /// The columns read.
        schema: Schema,
        filter: Option<BoundExpr>,
        partitions: Vec<Partition>,
        /// Row groups skipped by their `TimeGenerated` statistics.
        pruned: usize,
    },
    Values(RecordBatch),
    Child(Box<PhysicalPlan>),
    /// `union`'s legs, read unit by unit like one table: each leg's units,
    /// its rows mapped to the union's columns (`schema`), so nothing is held
    /// whole between the legs and what reads them.
    Union {
        legs: Vec<UnionLeg>,
        schema: Schema,
    },
}

/// One leg of a streamed `union`.
pub struct UnionLeg {
    pub pipeline: Pipeline,
    /// For each union column, the leg's column (`None`: null).
    pub mapping: Vec<Option<usize>>,
}

pub enum Stage {
    Filter(BoundExpr),
    Project {
        exprs: Vec<BoundExpr>,
        schema: Schema,
    },
}

impl PhysicalPlan {
    pub fn schema(&self) -> &Schema {
        match self {
            PhysicalPlan::Collect(p) | PhysicalPlan::Sort { input: p, .. } => &p.schema,
            PhysicalPlan::TopN { input, .. } | PhysicalPlan::Limit { input, .. } => &input.schema,
            PhysicalPlan::HashAggregate { schema, .. }
            | PhysicalPlan::Union { schema, .. }
            | PhysicalPlan::HashJoin { schema, .. }
            | PhysicalPlan::MvExpand { schema, .. }
            | PhysicalPlan::Window { schema, .. }
            | PhysicalPlan::SequenceScan { schema, .. }
            | PhysicalPlan::MakeSeries { schema, .. }
            | PhysicalPlan::Graph { schema, .. } => schema,
            PhysicalPlan::Materialize { input, .. } => input.schema(),
        }
    }
}

impl PhysicalPlan {
    /// The plans this one reads from: its inputs, and a pipeline's child.
    pub fn children(&self) -> Vec<&PhysicalPlan> {
        fn of(p: &Pipeline) -> Vec<&PhysicalPlan> {
            match &p.source {
                PipelineSource::Child(c) => vec![c.as_ref()],
                PipelineSource::Union { legs, .. } => {
                    legs.iter().flat_map(|l| of(&l.pipeline)).collect()
                }
                PipelineSource::Scan { .. } | PipelineSource::Values(_) => Vec::new(),
            }
        }
        match self {
            PhysicalPlan::Collect(p)
            | PhysicalPlan::Sort { input: p, .. }
            | PhysicalPlan::TopN { input: p, .. }
            | PhysicalPlan::Limit { input: p, .. }
            | PhysicalPlan::HashAggregate { input: p, .. }
            | PhysicalPlan::MvExpand { input: p, .. }
            | PhysicalPlan::Window { input: p, .. }
            | PhysicalPlan::SequenceScan { input: p, .. }
            | PhysicalPlan::MakeSeries { input: p, .. } => of(p),
            PhysicalPlan::Union { inputs, .. } => inputs.iter().collect(),
            PhysicalPlan::HashJoin { left, right, .. } => vec![left, right],
            PhysicalPlan::Materialize { input, .. } => vec![input],
            PhysicalPlan::Graph { edges, nodes, .. } => {
                std::iter::once(&**edges).chain(nodes.as_deref()).collect()
            }
        }
    }
}

/// Builds the physical plan, listing (and pruning) each scan's partitions.
pub fn create_physical_plan(plan: &LogicalPlan, source: &DataSource) -> Result<PhysicalPlan> {
    Ok(match plan {
        LogicalPlan::Aggregate(a) => PhysicalPlan::HashAggregate {
            input: pipeline(&a.input, source)?,
            keys: a.keys.clone(),
            aggregates: a.aggregates.clone(),
            having: a.having.clone(),
            schema: a.schema.clone(),
        },
        LogicalPlan::Sort(s) => PhysicalPlan::Sort {
            input: pipeline(&s.input, source)?,
            keys: s.keys.clone(),
        },
        LogicalPlan::TopN(t) => PhysicalPlan::TopN {
            input: pipeline(&t.input, source)?,
            keys: t.keys.clone(),
            n: t.n,
        },
        LogicalPlan::Limit(l) => PhysicalPlan::Limit {
            input: pipeline(&l.input, source)?,
            n: l.n,
        },
        LogicalPlan::Union(u) => PhysicalPlan::Union {
            inputs: u
                .inputs
                .iter()
                .map(|i| create_physical_plan(i, source))
                .collect::<Result<_>>()?,
            mappings: u.mappings.clone(),
            schema: u.schema.clone(),
        },
        LogicalPlan::Join(j) => PhysicalPlan::HashJoin {
            left: Box::new(create_physical_plan(&j.left, source)?),
            right: Box::new(create_physical_plan(&j.right, source)?),
            spec: JoinSpec {
                kind: j.kind,
                left_keys: j.left_keys.clone(),
                right_keys: j.right_keys.clone(),
                key_types: j.key_types.clone(),
                null_keys_match: j.null_keys_match,
                output: j.output.clone(),
                first_match_only: j.first_match_only,
                ip_prefix: j.ip_prefix,
            },
            schema: j.schema.clone(),
        },
        LogicalPlan::MvExpand(m) => PhysicalPlan::MvExpand {
            input: pipeline(&m.input, source)?,
            spec: MvExpandSpec {
                columns: m.columns.clone(),
                bags_as_arrays: m.bags_as_arrays,
                item_index: m.item_index,
                limit: m.limit,
            },
            schema: m.schema.clone(),
        },
        LogicalPlan::Window(w) => PhysicalPlan::Window {
            input: pipeline(&w.input, source)?,
            calls: w.calls.clone(),
            schema: w.schema.clone(),
        },
        LogicalPlan::SequenceScan(s) => PhysicalPlan::SequenceScan {
            input: pipeline(&s.input, source)?,
            spec: ScanSpec {
                defaults: s.defaults.clone(),
                steps: s.steps.clone(),
                match_id: s.match_id,
                partition: s.partition,
            },
            schema: s.schema.clone(),
        },
        LogicalPlan::MakeSeries(m) => PhysicalPlan::MakeSeries {
            input: pipeline(&m.input, source)?,
            spec: MakeSeriesSpec {
                keys: m.keys,
                defaults: m.defaults.clone(),
                axis: m.axis.clone(),
            },
            schema: m.schema.clone(),
        },
        LogicalPlan::Materialize(m) => PhysicalPlan::Materialize {
            key: materialize_key(&m.input),
            input: Box::new(create_physical_plan(&m.input, source)?),
        },
        LogicalPlan::Graph(g) => PhysicalPlan::Graph {
            edges: Box::new(create_physical_plan(&g.edges, source)?),
            nodes: match &g.nodes {
                Some(n) => Some(Box::new(create_physical_plan(n, source)?)),
                None => None,
            },
            spec: g.spec.clone(),
            schema: g.schema.clone(),
        },
        LogicalPlan::Scan(_)
        | LogicalPlan::Values(_)
        | LogicalPlan::Filter(_)
        | LogicalPlan::Project(_) => PhysicalPlan::Collect(pipeline(plan, source)?),
    })
}

/// Two `materialize()` nodes share their rows when their optimised inputs are
/// the same plan: the same `let` referred to twice binds to equal trees.
fn materialize_key(input: &LogicalPlan) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{input:?}").hash(&mut h);
    h.finish()
}

fn pipeline(plan: &LogicalPlan, source: &DataSource) -> Result<Pipeline> {
    Ok(match plan {
        LogicalPlan::Scan(s) => {
            let (partitions, pruned) = source.partitions(&s.table, s.time_range)?;
            Pipeline {
                source: PipelineSource::Scan {
                    table: s.table.clone(),
                    schema: s.schema.clone(),
                    filter: s.filter.clone(),
                    partitions,
                    pruned,
                },
                stages: Vec::new(),
                schema: s.schema.clone(),
            }
        }
        LogicalPlan::Values(v) => Pipeline {
            source: PipelineSource::Values(match &v.range {
                Some(range) => crate::ops::values::range_batch(&v.schema, range)?,
                None => values_batch(&v.schema, &v.rows)?,
            }),
            stages: Vec::new(),
            schema: v.schema.clone(),
        },
        LogicalPlan::Filter(f) => {
            let mut p = pipeline(&f.input, source)?;
            p.stages.push(Stage::Filter(f.predicate.clone()));
            p
        }
        LogicalPlan::Union(u) => Pipeline {
            source: PipelineSource::Union {
                legs: u
                    .inputs
                    .iter()
                    .zip(&u.mappings)
                    .map(|(leg, mapping)| {
                        Ok(UnionLeg {
                            pipeline: pipeline(leg, source)?,
                            mapping: mapping.clone(),
                        })
                    })
                    .collect::<Result<_>>()?,
                schema: u.schema.clone(),
            },
            stages: Vec::new(),
            schema: u.schema.clone(),
        },
        LogicalPlan::Project(pr) => {
            let mut p = pipeline(&pr.input, source)?;
            p.stages.push(Stage::Project {
                exprs: pr.exprs.clone(),
                schema: pr.schema.clone(),
            });
            p.schema = pr.schema.clone();
            p
        }
        other => {
            let child = create_physical_plan(other, source)?;
            let schema = child.schema().clone();
            Pipeline {
                source: PipelineSource::Child(Box::new(child)),
                stages: Vec::new(),
                schema,
            }
        }
    })
}

/// The physical plan as an indented tree.
pub fn display_physical(plan: &PhysicalPlan) -> String {
    let mut out = String::new();
    write_plan(plan, 0, &mut out);
    out
}

fn write_plan(plan: &PhysicalPlan, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match plan {
        PhysicalPlan::Collect(p) => {
            let _ = writeln!(out, "{pad}Collect");
            write_pipeline(p, depth + 1, out);
        }
        PhysicalPlan::HashAggregate {
            input,
            keys,
            aggregates,
            having,
            schema,
        } => {
            if let Some(h) = having {
                match crate::ops::having::plan_two_pass(keys, aggregates, h, schema) {
                    Some(p) => {
                        let _ = writeln!(out, "{pad}HavingFilter: {h}");
                        let _ = writeln!(out, "{pad}  TwoPassAggregate (for a whole-table scan, or once one pass's groups hold 512 MiB): pass 1 finds the groups where {} with [{}]; pass 2 computes every aggregate for their rows only", p.having, p.calls.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", "));
                    }
                    None => {
                        let _ = writeln!(out, "{pad}HavingFilter: {h}");
                    }
                }
            }
            let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            let aggs: Vec<String> = aggregates.iter().map(|a| format!("{a:?}")).collect();
            let _ = writeln!(
                out,
                "{pad}HashAggregate: final merge in partition order, by=[{}] aggregates=[{}]",
                keys.join(", "),
                aggs.join(", ")
            );
            let _ = writeln!(
                out,
                "{pad}  PartialHashAggregate: one table per partition chunk (parallel)"
            );
            write_pipeline(input, depth + 2, out);
        }
        PhysicalPlan::Sort { input, keys } => {
            let _ = writeln!(
                out,
                "{pad}Sort: {}",
                keys.iter()
                    .map(|k| format!("{} {}", k.expr, if k.descending { "desc" } else { "asc" }))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            write_pipeline(input, depth + 1, out);
        }
        PhysicalPlan::TopN { input, keys, n } => {
            let _ = writeln!(
                out,
                "{pad}TopN: {n} by {} (per-partition top {n}, then merged)",
                keys.iter()
                    .map(|k| format!("{} {}", k.expr, if k.descending { "desc" } else { "asc" }))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            write_pipeline(input, depth + 1, out);
        }
        PhysicalPlan::Limit { input, n } => {
            let _ = writeln!(
                out,
                "{pad}Limit: {n} (stops reading once {n} rows are found)"
            );
            write_pipeline(input, depth + 1, out);
        }
        PhysicalPlan::Union { inputs, .. } => {
            let _ = writeln!(out, "{pad}Union: {} inputs", inputs.len());
            for i in inputs {
                write_plan(i, depth + 1, out);
            }
        }
        PhysicalPlan::HashJoin {
            left, right, spec, ..
        } => {
            let on: Vec<String> = spec
                .left_keys
                .iter()
                .zip(&spec.right_keys)
                .map(|(l, r)| {
                    format!(
                        "{} == {}",
                        left.schema().columns[*l].name,
                        right.schema().columns[*r].name
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "{pad}HashJoin: kind={} on {} (build: right, probe: left batches in parallel)",
                spec.kind.as_str(),
                on.join(", ")
            );
            write_plan(left, depth + 1, out);
            write_plan(right, depth + 1, out);
        }
        PhysicalPlan::MvExpand {
            input,
            spec,
            schema,
        } => {
            let cols: Vec<&str> = spec
                .columns
                .iter()
                .map(|c| schema.columns[*c].name.as_str())
                .collect();
            let _ = writeln!(out, "{pad}MvExpand: {} (per batch)", cols.join(", "));
            write_pipeline(input, depth + 1, out);
        }
        PhysicalPlan::Window {
            input,
            calls,
            schema,
        } => {
            let width = input.schema.len();
            let names: Vec<String> = calls
                .iter()
                .enumerate()
                .map(|(k, c)| format!("{}={}", schema.columns[width + k].name, c.kind.name()))
                .collect();
            let _ = writeln!(
                out,
                "{pad}Window: {} (one ordered stream)",
                names.join(", ")
            );
            write_pipeline(input, depth + 1, out);
        }
        PhysicalPlan::SequenceScan { input, spec, .. } => {
            let steps: Vec<String> = spec
                .steps
                .iter()
                .map(|s| format!("{} output={}", s.name, s.output.as_str()))
                .collect();
            let per = spec
                .partition
                .map(|k| format!(", one state machine per {}", input.schema.columns[k].name))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{pad}SequenceScan: steps [{}] (one ordered stream{per})",
                steps.join(", ")
            );
            write_pipeline(input, depth + 1, out);
        }
        PhysicalPlan::MakeSeries { input, spec, .. } => {
            let _ = writeln!(
                out,
                "{pad}MakeSeries: {} (lays out the cells below as arrays)",
                spec.axis
            );
            write_pipeline(input, depth + 1, out);
        }
        PhysicalPlan::Materialize { key, input } => {
            let _ = writeln!(
                out,
                "{pad}Materialize: #{:04x} (computed once, shared by every reference)",
                key & 0xffff
            );
            write_plan(input, depth + 1, out);
        }
        PhysicalPlan::Graph {
            edges, nodes, spec, ..
        } => {
            let _ = writeln!(out, "{pad}Graph: {spec} (collects the edges and nodes)");
            write_plan(edges, depth + 1, out);
            if let Some(n) = nodes {
                write_plan(n, depth + 1, out);
            }
        }
    }
}

fn write_pipeline(p: &Pipeline, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for stage in p.stages.iter().rev() {
        match stage {
            Stage::Filter(e) => {
                let _ = writeln!(out, "{pad}Filter: {e}");
            }
            Stage::Project { exprs, schema } => {
                let items: Vec<String> = exprs
                    .iter()
                    .zip(&schema.columns)
                    .map(|(e, c)| match e {
                        BoundExpr::Column { name, .. } if *name == c.name => c.name.clone(),
                        _ => format!("{}={e}", c.name),
                    })
                    .collect();
                let _ = writeln!(out, "{pad}Project: {}", items.join(", "));
            }
        }
    }
    match &p.source {
        PipelineSource::Scan {
            table,
            schema,
            filter,
            partitions,
            pruned,
        } => {
            let cols: Vec<&str> = schema.names().collect();
            let _ =
                writeln!(
                out,
                "{pad}ParquetScan: {table} columns=[{}] partitions={} row_groups_pruned={pruned}{}",
                cols.join(", "),
                partitions.len(),
                filter.as_ref().map(|f| format!(" filter={f}")).unwrap_or_default()
            );
        }
        PipelineSource::Values(b) => {
            let _ = writeln!(out, "{pad}Values: {} rows", b.num_rows());
        }
        PipelineSource::Child(c) => write_plan(c, depth, out),
        PipelineSource::Union { legs, .. } => {
            let _ = writeln!(out, "{pad}Union: {} inputs (streamed)", legs.len());
            for leg in legs {
                write_pipeline(&leg.pipeline, depth + 1, out);
            }
        }
    }
}

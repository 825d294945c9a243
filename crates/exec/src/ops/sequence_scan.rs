//! `scan`: Kusto's sequence state machine, run over the whole input as one
//! ordered batch (the rows in the order `sort`, `range` or `serialize` gave).
//!
//! The state holds, per step, at most one *sequence*: its match id and the
//! record each step up to this one matched. Each row is tried against the
//! steps from last to first. Check 1: the previous step holds a sequence and
//! the row meets this step's condition read with that sequence — the
//! sequence moves up to this step (whatever this step held is dropped) and
//! the row becomes this step's record. Check 2, only if check 1 did not
//! match: this step holds a sequence (or is the first step) and the row
//! meets the condition read with it — the row replaces this step's record;
//! on the first step with no sequence, a new one starts with the next match
//! id. A match's row, extended by the step's assignments, is output at once
//! (`output=all`), never (`none`), or once the sequence leaves the step or
//! the input ends, as the step's last match (`last`).
//!
//! A condition's conjuncts that read only the row are evaluated over the
//! whole input up front; the rest, and assignments that read the state, are
//! evaluated row by row on a one-row batch of the columns they read.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Int64Array, RecordBatch, UInt64Array};
use arrow::compute::{concat_batches, take};
use iishunt_plan::expr::BoundExpr;
use iishunt_plan::logical::{ScanOutput, ScanStep};
use iishunt_plan::schema::{Column, Schema};
use iishunt_plan::types::{KType, ScalarValue};

use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::{evaluate, evaluate_predicate};
use crate::ops::{batch_with_schema, normalize};
use crate::scalar::{array_cell, scalar_to_array, scalars_to_array};

/// What a `scan` computes: the logical node's fields.
#[derive(Debug, Clone)]
pub struct ScanSpec {
    pub defaults: Vec<ScalarValue>,
    pub steps: Vec<ScanStep>,
    pub match_id: bool,
    pub partition: Option<usize>,
}

/// A record a step matched: the input row and its declared columns.
#[derive(Clone)]
struct Record {
    row: usize,
    declared: Rc<Vec<ScalarValue>>,
}

/// A row on its way to the output.
struct Emit {
    record: Record,
    id: i64,
}

/// A sequence in progress: its id and each step's record so far.
struct Sequence {
    id: i64,
    records: Vec<Option<Record>>,
    /// The step's last match, held back by `output=last`.
    pending: Option<Record>,
}

/// One state machine (the whole input, or one partition key's rows).
struct Machine {
    steps: Vec<Option<Sequence>>,
    next_id: i64,
}

/// An expression over the frame, ready to run on one row.
struct FrameExpr {
    expr: BoundExpr,
    /// Frame column for each column of the one-row batch.
    columns: Vec<usize>,
    schema: Schema,
}

/// A step's condition split into what reads only the row and what reads
/// the state; assignments, each precomputed when it reads only the row.
struct CompiledStep<'s> {
    step: &'s ScanStep,
    row_part: Option<BooleanArray>,
    state_part: Option<FrameExpr>,
    assignments: Vec<(usize, Assign)>,
}

enum Assign {
    Column(ArrayRef),
    Frame(FrameExpr),
}

/// Runs the scan over `batches` (the input, in order); `schema` is the
/// output: the input columns, the declared columns, then the match id.
pub fn sequence_scan(
    batches: &[RecordBatch],
    input: &Schema,
    spec: &ScanSpec,
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let normalized: Vec<RecordBatch> = batches
        .iter()
        .map(|b| normalize(b, input))
        .collect::<Result<_>>()?;
    let rows: usize = normalized.iter().map(RecordBatch::num_rows).sum();
    if rows == 0 {
        return Ok(Vec::new());
    }
    let all = concat_batches(&input.to_arrow(), &normalized)?;
    let n = input.len();
    let declared: Vec<Column> = schema.columns[n..n + spec.defaults.len()].to_vec();
    let width = n + declared.len();
    let frame = frame_columns(input, &declared, spec.steps.len());

    let steps: Vec<CompiledStep> = spec
        .steps
        .iter()
        .map(|step| compile(step, &all, n, &frame, ctx))
        .collect::<Result<_>>()?;
    let partition_of = partitions(&all, spec.partition)?;

    let mut machines: Vec<Machine> = Vec::new();
    let mut out: Vec<Emit> = Vec::new();
    let frame_of = Frame {
        all: &all,
        n,
        width,
        defaults: &spec.defaults,
        frame: &frame,
    };
    for (r, part) in partition_of.iter().enumerate() {
        if r % 4096 == 0 {
            ctx.check("scan")?;
        }
        while machines.len() <= *part {
            machines.push(Machine {
                steps: (0..steps.len()).map(|_| None).collect(),
                next_id: 0,
            });
        }
        let machine = &mut machines[*part];
        for k in (0..steps.len()).rev() {
            let step = &steps[k];
            let row_ok = step.row_part.as_ref().is_none_or(|b| b.value(r));
            if !row_ok {
                continue;
            }
            // Check 1: the previous step's sequence moves up to this step.
            if k > 0 {
                if let Some(prev) = &machine.steps[k - 1] {
                    if frame_of.holds(step.state_part.as_ref(), r, prev, ctx)? {
                        let Some(mut seq) = machine.steps[k - 1].take() else {
                            continue;
                        };
                        if let Some(dropped) = machine.steps[k].take() {
                            flush(dropped, &mut out);
                        }
                        if let Some(last) = seq.pending.take() {
                            out.push(Emit {
                                record: last,
                                id: seq.id,
                            });
                        }
                        let record = frame_of.extend(step, r, &seq, ctx)?;
                        seq.records[k] = Some(record.clone());
                        emit(step.step.output, record, &mut seq, &mut out);
                        machine.steps[k] = Some(seq);
                        continue;
                    }
                }
            }
            // Check 2: this step's own sequence (or a new one on the first step).
            let holds = match &machine.steps[k] {
                Some(seq) => frame_of.holds(step.state_part.as_ref(), r, seq, ctx)?,
                None if k == 0 => {
                    let empty = Sequence {
                        id: machine.next_id,
                        records: vec![None; steps.len()],
                        pending: None,
                    };
                    frame_of.holds(step.state_part.as_ref(), r, &empty, ctx)?
                }
                None => false,
            };
            if !holds {
                continue;
            }
            let mut seq = match machine.steps[k].take() {
                Some(seq) => seq,
                None => {
                    machine.next_id += 1;
                    Sequence {
                        id: machine.next_id - 1,
                        records: vec![None; steps.len()],
                        pending: None,
                    }
                }
            };
            let record = frame_of.extend(step, r, &seq, ctx)?;
            seq.records[k] = Some(record.clone());
            emit(step.step.output, record, &mut seq, &mut out);
            machine.steps[k] = Some(seq);
        }
    }
    // The input has ended: every held-back last match is output.
    let mut held: Vec<Emit> = Vec::new();
    for machine in machines {
        for seq in machine.steps.into_iter().flatten() {
            flush(seq, &mut held);
        }
    }
    held.sort_by_key(|e| e.record.row);
    out.extend(held);
    ctx.check("scan")?;
    Ok(vec![build_output(
        &all,
        &declared,
        spec.match_id,
        &out,
        schema,
    )?])
}

/// Adds a match to the output as the step's `output` says.
fn emit(output: ScanOutput, record: Record, seq: &mut Sequence, out: &mut Vec<Emit>) {
    match output {
        ScanOutput::All => out.push(Emit { record, id: seq.id }),
        ScanOutput::Last => seq.pending = Some(record),
        ScanOutput::None => {}
    }
}

/// A sequence leaves a step for good: its held-back last match is output.
fn flush(mut seq: Sequence, out: &mut Vec<Emit>) {
    if let Some(last) = seq.pending.take() {
        out.push(Emit {
            record: last,
            id: seq.id,
        });
    }
}

/// The frame's columns: the row, then `Step.Column` for each step's record.
fn frame_columns(input: &Schema, declared: &[Column], steps: usize) -> Vec<Column> {
    let record: Vec<Column> = input.columns.iter().chain(declared).cloned().collect();
    let mut frame = record.clone();
    for _ in 0..steps {
        frame.extend(record.iter().cloned());
    }
    frame
}

fn compile<'s>(
    step: &'s ScanStep,
    all: &RecordBatch,
    n: usize,
    frame: &[Column],
    ctx: &ExecContext,
) -> Result<CompiledStep<'s>> {
    let reads_row_only = |e: &BoundExpr| {
        let mut only = true;
        e.visit_columns(&mut |i| only &= i < n);
        only
    };
    let mut conjuncts = Vec::new();
    split_and(&step.condition, &mut conjuncts);
    let (row, state): (Vec<&BoundExpr>, Vec<&BoundExpr>) =
        conjuncts.into_iter().partition(|c| reads_row_only(c));
    let row_part = match and_all(row) {
        Some(e) => Some(evaluate_predicate(&e, all, ctx)?),
        None => None,
    };
    let state_part = and_all(state).map(|e| frame_expr(e, frame));
    let mut assignments = Vec::new();
    for (k, e) in &step.assignments {
        let a = if reads_row_only(e) {
            Assign::Column(crate::expr::decode_array(&evaluate(e, all, ctx)?)?)
        } else {
            Assign::Frame(frame_expr(e.clone(), frame))
        };
        assignments.push((*k, a));
    }
    Ok(CompiledStep {
        step,
        row_part,
        state_part,
        assignments,
    })
}

fn split_and<'e>(e: &'e BoundExpr, out: &mut Vec<&'e BoundExpr>) {
    match e {
        BoundExpr::Call { func, args, .. } if func.name == "__and" => {
            args.iter().for_each(|a| split_and(a, out));
        }
        other => out.push(other),
    }
}

fn and_all(parts: Vec<&BoundExpr>) -> Option<BoundExpr> {
    let and = iishunt_plan::functions::lookup_scalar("__and")?;
    parts.into_iter().cloned().reduce(|a, b| BoundExpr::Call {
        func: and,
        args: vec![a, b],
        ty: KType::Bool,
    })
}

/// `e` over a one-row batch of only the frame columns it reads.
fn frame_expr(e: BoundExpr, frame: &[Column]) -> FrameExpr {
    let mut columns: Vec<usize> = Vec::new();
    e.visit_columns(&mut |i| {
        if !columns.contains(&i) {
            columns.push(i);
        }
    });
    let expr = e.remap_columns(&|i| columns.iter().position(|c| *c == i).unwrap_or(i));
    let schema = Schema::new(columns.iter().map(|c| frame[*c].clone()).collect());
    FrameExpr {
        expr,
        columns,
        schema,
    }
}

/// Each row's partition number (all 0 without a partition column), by key
/// value in the order the values first appear.
fn partitions(all: &RecordBatch, key: Option<usize>) -> Result<Vec<usize>> {
    let rows = all.num_rows();
    let Some(key) = key else {
        return Ok(vec![0; rows]);
    };
    let array = all.column(key);
    let converter =
        arrow::row::RowConverter::new(vec![arrow::row::SortField::new(array.data_type().clone())])?;
    let keys = converter.convert_columns(std::slice::from_ref(array))?;
    let mut seen: HashMap<arrow::row::Row<'_>, usize> = HashMap::new();
    let mut out = Vec::with_capacity(rows);
    for r in 0..rows {
        let next = seen.len();
        out.push(*seen.entry(keys.row(r)).or_insert(next));
    }
    Ok(out)
}

/// Reads the frame of one row with one sequence.
struct Frame<'a> {
    all: &'a RecordBatch,
    n: usize,
    width: usize,
    defaults: &'a [ScalarValue],
    frame: &'a [Column],
}

impl Frame<'_> {
    /// The value of frame column `c` for row `r` with `seq` as the state.
    fn column(&self, c: usize, r: usize, seq: &Sequence) -> Result<ArrayRef> {
        if c < self.n {
            return Ok(self.all.column(c).slice(r, 1));
        }
        let within = c % self.width;
        // Block 0 past the input is the row's own declared columns (the
        // binder folds them to their defaults; read as such if not).
        let record = match (c / self.width).checked_sub(1) {
            Some(step) => seq.records.get(step).and_then(Option::as_ref),
            None => None,
        };
        match (record, within.checked_sub(self.n)) {
            (Some(rec), None) => Ok(self.all.column(within).slice(rec.row, 1)),
            (Some(rec), Some(d)) => scalar_to_array(&rec.declared[d], 1),
            (None, None) => Ok(arrow::array::new_null_array(
                &self.frame[c].ty.arrow_type(),
                1,
            )),
            (None, Some(d)) => scalar_to_array(&self.defaults[d], 1),
        }
    }

    fn batch(&self, e: &FrameExpr, r: usize, seq: &Sequence) -> Result<RecordBatch> {
        let columns: Vec<ArrayRef> = e
            .columns
            .iter()
            .map(|c| self.column(*c, r, seq))
            .collect::<Result<_>>()?;
        batch_with_schema(&e.schema, columns, 1)
    }

    /// Whether the state-reading part of a condition holds (none: it does).
    fn holds(
        &self,
        e: Option<&FrameExpr>,
        r: usize,
        seq: &Sequence,
        ctx: &ExecContext,
    ) -> Result<bool> {
        let Some(e) = e else { return Ok(true) };
        let b = evaluate_predicate(&e.expr, &self.batch(e, r, seq)?, ctx)?;
        Ok(b.is_valid(0) && b.value(0))
    }

    /// Row `r` extended by the step's assignments, read with `seq`.
    fn extend(
        &self,
        step: &CompiledStep,
        r: usize,
        seq: &Sequence,
        ctx: &ExecContext,
    ) -> Result<Record> {
        let mut declared = self.defaults.to_vec();
        for (k, a) in &step.assignments {
            let ty = self.frame[self.n + k].ty;
            declared[*k] = match a {
                Assign::Column(values) => array_cell(values.as_ref(), r, ty)?,
                Assign::Frame(e) => {
                    let v = evaluate(&e.expr, &self.batch(e, r, seq)?, ctx)?;
                    array_cell(crate::expr::decode_array(&v)?.as_ref(), 0, ty)?
                }
            };
        }
        Ok(Record {
            row: r,
            declared: Rc::new(declared),
        })
    }
}

fn build_output(
    all: &RecordBatch,
    declared: &[Column],
    match_id: bool,
    out: &[Emit],
    schema: &Schema,
) -> Result<RecordBatch> {
    let indices: UInt64Array = out.iter().map(|e| Some(e.record.row as u64)).collect();
    let mut columns: Vec<ArrayRef> = all
        .columns()
        .iter()
        .map(|c| take(c.as_ref(), &indices, None))
        .collect::<std::result::Result<_, _>>()?;
    for (k, c) in declared.iter().enumerate() {
        let values: Vec<ScalarValue> = out.iter().map(|e| e.record.declared[k].clone()).collect();
        columns.push(scalars_to_array(&values, c.ty)?);
    }
    if match_id {
        let ids: Int64Array = out.iter().map(|e| Some(e.id)).collect();
        columns.push(Arc::new(ids));
    }
    batch_with_schema(schema, columns, out.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use iishunt_plan::functions::lookup_scalar;

    fn col(index: usize, ty: KType) -> BoundExpr {
        BoundExpr::Column {
            index,
            name: format!("c{index}"),
            ty,
        }
    }

    fn call(name: &str, args: Vec<BoundExpr>, ty: KType) -> BoundExpr {
        BoundExpr::Call {
            func: lookup_scalar(name).expect(name),
            args,
            ty,
        }
    }

    fn long(v: i64) -> BoundExpr {
        BoundExpr::Literal(ScalarValue::Long(v))
    }

    fn step(name: &str, output: ScanOutput, condition: BoundExpr) -> ScanStep {
        ScanStep {
            name: name.into(),
            output,
            condition,
            assignments: Vec::new(),
        }
    }

    /// Runs a scan with a match id over the columns `k` (string) and `x`
    /// (long) and gives (x, match id) per output row.
    fn run(keys: &[&str], xs: &[i64], steps: Vec<ScanStep>, partition: bool) -> Vec<(i64, i64)> {
        let input = Schema::new(vec![
            Column {
                name: "k".into(),
                ty: KType::String,
            },
            Column {
                name: "x".into(),
                ty: KType::Long,
            },
        ]);
        let mut out_columns = input.columns.clone();
        out_columns.push(Column {
            name: "m".into(),
            ty: KType::Long,
        });
        let schema = Schema::new(out_columns);
        let batch = batch_with_schema(
            &input,
            vec![
                Arc::new(arrow::array::StringArray::from(keys.to_vec())),
                Arc::new(Int64Array::from(xs.to_vec())),
            ],
            xs.len(),
        )
        .expect("batch");
        let spec = ScanSpec {
            defaults: Vec::new(),
            steps,
            match_id: true,
            partition: partition.then_some(0),
        };
        let out =
            sequence_scan(&[batch], &input, &spec, &schema, &ExecContext::default()).expect("scan");
        let b = &out[0];
        let x = b
            .column(1)
            .as_any()
            .downcast_ref::<Int64Array>()
            .expect("x");
        let m = b
            .column(2)
            .as_any()
            .downcast_ref::<Int64Array>()
            .expect("m");
        (0..b.num_rows())
            .map(|i| (x.value(i), m.value(i)))
            .collect()
    }

    /// s1: x is odd; s2: x > s1.x (frame column 3: step 0's record, column x).
    fn odd_then_greater(output: ScanOutput) -> Vec<ScanStep> {
        let odd = call(
            "__eq",
            vec![
                call("__mod", vec![col(1, KType::Long), long(2)], KType::Long),
                long(1),
            ],
            KType::Bool,
        );
        let greater = call(
            "__gt",
            vec![col(1, KType::Long), col(3, KType::Long)],
            KType::Bool,
        );
        vec![
            step("s1", output, odd),
            step("s2", ScanOutput::All, greater),
        ]
    }

    #[test]
    fn steps_are_tried_last_to_first() {
        // Row 3 repeats s2 for sequence 0 (3 > 1) and starts sequence 1.
        let got = run(
            &["a"; 4],
            &[1, 2, 3, 4],
            odd_then_greater(ScanOutput::All),
            false,
        );
        assert_eq!(got, vec![(1, 0), (2, 0), (3, 0), (3, 1), (4, 1)]);
    }

    #[test]
    fn output_none_and_last() {
        let none = run(
            &["a"; 4],
            &[1, 2, 3, 4],
            odd_then_greater(ScanOutput::None),
            false,
        );
        assert_eq!(none, vec![(2, 0), (3, 0), (4, 1)]);
        // s1's matches wait until their sequence moves to s2 (rows 1, 3) or
        // the input ends (row 5).
        let last = run(
            &["a"; 5],
            &[1, 2, 3, 4, 5],
            odd_then_greater(ScanOutput::Last),
            false,
        );
        assert_eq!(
            last,
            vec![(1, 0), (2, 0), (3, 0), (3, 1), (4, 1), (5, 1), (5, 2)]
        );
    }

    #[test]
    fn one_machine_per_partition_key() {
        // Keys a, b, a, b: each key's first row starts its own sequence 0.
        let got = run(
            &["a", "b", "a", "b"],
            &[1, 3, 2, 4],
            odd_then_greater(ScanOutput::All),
            true,
        );
        assert_eq!(got, vec![(1, 0), (3, 0), (2, 0), (4, 0)]);
        let together = run(
            &["a", "b", "a", "b"],
            &[1, 3, 2, 4],
            odd_then_greater(ScanOutput::All),
            false,
        );
        // One machine: 3 moves sequence 0 up and starts 1; 2 repeats s2 for
        // sequence 0 (2 > 1); 4 moves sequence 1 up (4 > 3).
        assert_eq!(together, vec![(1, 0), (3, 0), (3, 1), (2, 0), (4, 1)]);
    }
}

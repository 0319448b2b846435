//! The weights of a token classifier, named once.
//!
//! [`Weights`] is generic over how a weight is held: the candle model lists its
//! tensors as `Weights<&Tensor>`, and the fused forward reads them as
//! `Weights<&[f32]>`. [`Weights::try_map`] is the one place that walks every
//! field, so the two views cannot fall out of step.

use candle_core::{CpuStorage, Layout, Storage, StorageRef, Tensor};

/// One encoder layer's weights (post-layer-norm BERT block). Dense weights are
/// pre-packed panels of `(in, out)` (see `gemm::pack_panels_transposed`); the query
/// columns of `qkv` are pre-scaled.
#[derive(Debug, Clone)]
pub(crate) struct LayerWeights<T> {
    pub qkv_w: T,
    pub qkv_b: Option<T>,
    pub out_w: T,
    pub out_b: Option<T>,
    pub norm1: (T, T),
    pub ff_in_w: T,
    pub ff_in_b: Option<T>,
    pub ff_out_w: T,
    pub ff_out_b: Option<T>,
    pub norm2: (T, T),
}

/// All weights of a token classifier.
#[derive(Debug, Clone)]
pub(crate) struct Weights<T> {
    pub word: T,
    pub position: T,
    pub token_type: Option<T>,
    pub emb_norm: (T, T),
    pub layers: Vec<LayerWeights<T>>,
    /// `(labels, hidden)` row-major, as stored.
    pub classifier_w: T,
    pub classifier_b: Option<T>,
}

impl<T> Weights<T> {
    /// Applies `f` to every weight, field by field; `None` if `f` fails on any.
    pub(crate) fn try_map<U>(&self, f: &mut dyn FnMut(&T) -> Option<U>) -> Option<Weights<U>> {
        let mut layers = Vec::with_capacity(self.layers.len());
        for l in &self.layers {
            layers.push(LayerWeights {
                qkv_w: f(&l.qkv_w)?,
                qkv_b: map_opt(&l.qkv_b, f)?,
                out_w: f(&l.out_w)?,
                out_b: map_opt(&l.out_b, f)?,
                norm1: (f(&l.norm1.0)?, f(&l.norm1.1)?),
                ff_in_w: f(&l.ff_in_w)?,
                ff_in_b: map_opt(&l.ff_in_b, f)?,
                ff_out_w: f(&l.ff_out_w)?,
                ff_out_b: map_opt(&l.ff_out_b, f)?,
                norm2: (f(&l.norm2.0)?, f(&l.norm2.1)?),
            });
        }
        Some(Weights {
            word: f(&self.word)?,
            position: f(&self.position)?,
            token_type: map_opt(&self.token_type, f)?,
            emb_norm: (f(&self.emb_norm.0)?, f(&self.emb_norm.1)?),
            layers,
            classifier_w: f(&self.classifier_w)?,
            classifier_b: map_opt(&self.classifier_b, f)?,
        })
    }
}

/// `Some(None)` for an absent weight, `Some(Some(u))` for a mapped one, `None` if `f` fails.
fn map_opt<T, U>(t: &Option<T>, f: &mut dyn FnMut(&T) -> Option<U>) -> Option<Option<U>> {
    match t {
        Some(t) => f(t).map(Some),
        None => Some(None),
    }
}

/// Borrows the data of contiguous f32 CPU tensors for the duration of a forward.
pub(crate) struct Borrowed<'t> {
    guards: Vec<(StorageRef<'t>, &'t Layout)>,
    /// Where each tensor sits in `guards`.
    index: Weights<usize>,
}

impl<'t> Borrowed<'t> {
    /// Takes the storage of every tensor of `tensors`.
    pub(crate) fn new(tensors: &Weights<&'t Tensor>) -> Option<Self> {
        let mut guards = Vec::new();
        let index = tensors.try_map(&mut |t: &&'t Tensor| {
            guards.push(t.storage_and_layout());
            Some(guards.len() - 1)
        })?;
        Some(Borrowed { guards, index })
    }

    /// Every weight as a slice; `None` unless all are contiguous f32 CPU tensors.
    pub(crate) fn slices(&self) -> Option<Weights<&[f32]>> {
        self.index.try_map(&mut |&i| self.get(i))
    }

    fn get(&self, i: usize) -> Option<&[f32]> {
        let (guard, layout) = self.guards.get(i)?;
        match &**guard {
            Storage::Cpu(CpuStorage::F32(v)) => {
                let (a, b) = layout.contiguous_offsets()?;
                v.get(a..b)
            }
            _ => None,
        }
    }
}

"""The exported graphs' cache: each load marks its graph, and graphs nothing loaded for a month are pruned."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from models.cache_files import STALE_AFTER_DAYS, mark_used
from models.cache_files import prune_stale as prune
from models.onnx_forward import GRAPH_GLOB, OnnxForward

DAY = 86400.0


def prune_stale(keep: Path) -> list[Path]:
    return prune(keep, GRAPH_GLOB)


def _file(folder: Path, name: str, age_days: float) -> Path:
    path = folder / name
    path.write_bytes(b"graph")
    stamp = time.time() - age_days * DAY
    os.utime(path, (stamp, stamp))
    return path


def test_graphs_unused_for_a_month_are_pruned_beside_a_new_one(tmp_path: Path) -> None:
    new = _file(tmp_path, "analyzer-new-g4.int8.onnx", 0)
    stale = _file(tmp_path, "analyzer-old-g3.int8.onnx", STALE_AFTER_DAYS + 1)
    stale_partial = _file(tmp_path, "analyzer-crash-g4.int8.onnx.fp32.partial", STALE_AFTER_DAYS + 5)
    in_use = _file(tmp_path, "analyzer-other-checkout-g4.int8.onnx", STALE_AFTER_DAYS - 1)
    foreign = _file(tmp_path, "notes.txt", STALE_AFTER_DAYS * 3)

    assert prune_stale(new) == sorted([stale, stale_partial])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new.name, in_use.name, foreign.name])
    assert prune_stale(new) == []


def test_the_graph_being_kept_is_never_pruned_however_old(tmp_path: Path) -> None:
    keep = _file(tmp_path, "analyzer-keep-g4.int8.onnx", STALE_AFTER_DAYS * 10)
    assert prune_stale(keep) == [] and keep.is_file()


def test_loading_a_graph_marks_it_used(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["input_ids"], ["embedding"])], "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [None, None])],
        [helper.make_tensor_value_info("embedding", TensorProto.INT64, [None, None])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = tmp_path / "analyzer-tiny-g4.int8.onnx"
    onnx.save(model, str(path))
    month_ago = time.time() - (STALE_AFTER_DAYS + 1) * DAY
    os.utime(path, (month_ago, month_ago))

    OnnxForward(path, tasks=[], threads=1)

    assert path.stat().st_mtime > time.time() - 60
    assert prune_stale(_file(tmp_path, "analyzer-next-g4.int8.onnx", 0)) == []


def test_marking_a_graph_in_a_read_only_cache_does_not_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path, "analyzer-ro-g4.int8.onnx", 3)
    before = path.stat().st_mtime

    def refuse(*_: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "utime", refuse)
    mark_used(path)  # logged at debug level, not raised
    assert path.stat().st_mtime == before

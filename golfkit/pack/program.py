"""A packed program as built by an encoding, before its self-check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Program:
    text: str
    encoding: str  # what the file is written in (and declares, when not UTF-8)
    stages: int  # exec calls from the file to the payload: 2 when the decoder is itself packed

# Type stubs of the compiled extension `larmor._larmor` (PyO3). The documented API is the
# package `larmor` (larmor/__init__.py), which wraps these.
from typing import Any, Dict, List, Mapping, Optional, Union
import os

import numpy as np
import numpy.typing as npt

__version__: str

class Interrupted(KeyboardInterrupt):
    partial: Dict[str, Any]

class RunFailed(RuntimeError):
    partial: Dict[str, Any]

class Scenario:
    def __init__(self, spec: Union[Mapping[str, Any], str, os.PathLike[str], Scenario]) -> None: ...
    @staticmethod
    def load(path: Union[str, os.PathLike[str]]) -> Scenario: ...
    @staticmethod
    def from_toml(text: str, name: str = "<string>") -> Scenario: ...
    @property
    def toml(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def save(self, path: Union[str, os.PathLike[str]], *, overwrite: bool = False) -> None: ...

_ScenarioLike = Union[Dict[str, Any], str, os.PathLike[str], Scenario]

def run(
    scenario: _ScenarioLike, *, precision: str = "f64", seed: int = 0, every: int = 1
) -> Dict[str, Any]: ...
def ensemble(
    scenario: _ScenarioLike,
    trials: int,
    *,
    seed: int = 0,
    precision: str = "f64",
    threads: Optional[int] = None,
    lanes: int = 8,
    progress: bool = False,
) -> Dict[str, Any]: ...
def sweep(
    scenario: _ScenarioLike,
    vary: str,
    values: List[float],
    trials: int,
    *,
    seed: int = 0,
    threads: Optional[int] = None,
    lanes: int = 8,
    progress: bool = False,
) -> Dict[str, Any]: ...
def grid(start: float, stop: float, points: int, *, log: bool = False) -> npt.NDArray[np.float64]: ...
def sw_astroid(points: int = 361) -> Dict[str, npt.NDArray[np.float64]]: ...
def sw_loop(
    *,
    psi: Optional[float] = None,
    hmax: float = 2.0,
    points: int = 401,
    population: Optional[str] = None,
    particles: Optional[int] = None,
    seed: Optional[int] = None,
    hk_spread: Optional[float] = None,
    volume_spread: Optional[float] = None,
    threads: Optional[int] = None,
) -> Dict[str, Any]: ...
def neel_brown(
    sigma: float,
    h: float,
    *,
    alpha: Optional[float] = None,
    hk: Optional[float] = None,
    psi: float = 0.0,
    f0: Optional[float] = None,
    gamma: float = ...,
) -> Dict[str, Any]: ...

"""Larmor: magnetization dynamics from Python, with NumPy arrays.

The Rust kernel and host of the ``larmor`` command line, as a library: a scenario is a dict
with the keys of a TOML scenario file (same SI units, same checks, same error messages), a
TOML file, or a :class:`Scenario`; the results are NumPy arrays, and equal the command line's
to the bit (the same random streams: trial ``k`` of an ensemble uses the Philox stream
``(seed, k)``, point ``p`` of a sweep ``(seed, p * 2**32 + k)``).

>>> import larmor
>>> r = larmor.run("examples/mram_switching.toml", every=1000)
>>> r["m"].shape                                   # doctest: +SKIP
(101, 3)

Functions: :func:`run` (one trajectory), :func:`ensemble` (stochastic trials),
:func:`sweep` (switching probability and write-error rate against a parameter),
:func:`grid` (the command line's sweep grids), :func:`sw_astroid` and :func:`sw_loop`
(Stoner-Wohlfarth), :func:`neel_brown` (thermally activated relaxation).

Errors: bad input raises ``ValueError`` naming the key or argument, the value and the allowed
range; a failed integration raises :class:`RunFailed`; Ctrl-C stops a long call cleanly and
raises :class:`Interrupted` (a ``KeyboardInterrupt``) whose ``partial`` attribute holds the
results so far. Long calls release the GIL and use all cores (``threads=None``).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional, Sequence, Union

import numpy as np

from . import _larmor
from ._larmor import Interrupted, RunFailed, Scenario

__all__ = [
    "Scenario",
    "Interrupted",
    "RunFailed",
    "run",
    "ensemble",
    "sweep",
    "grid",
    "sw_astroid",
    "sw_loop",
    "neel_brown",
    "__version__",
]

__version__: str = _larmor.__version__

#: What the functions take as a scenario: a dict with the keys of a scenario file, a path to
#: one, or a :class:`Scenario`.
ScenarioLike = Union[Mapping[str, Any], str, "os.PathLike[str]", Scenario]


def _scenario(scenario: ScenarioLike) -> Any:
    # Mappings that are not dicts (e.g. types.MappingProxyType) as dicts; the rest as given
    if isinstance(scenario, Mapping) and not isinstance(scenario, dict):
        return dict(scenario)
    return scenario


def run(
    scenario: ScenarioLike,
    *,
    precision: str = "f64",
    seed: int = 0,
    every: int = 1,
) -> Dict[str, Any]:
    """One deterministic macrospin trajectory, as ``larmor run`` computes it.

    Parameters
    ----------
    scenario
        A macrospin scenario: dict, path or :class:`Scenario` (``[magnet]``, ``[llg]``,
        ``[solver]``, optional ``[thermal]``, ``[stt]``, ``[sot]``, drives and ``[[events]]``;
        see ``examples/README.md``).
    precision
        ``"f64"`` or ``"f32"`` (the kernel's scalar, as on a Cortex-M4F).
    seed
        Seed of the thermal noise (runs with ``[thermal]``); the run is a pure function of
        (scenario, seed).
    every
        Keep every N-th step (>= 1); the initial and final states are always kept.

    Returns
    -------
    dict
        ``t`` (s, shape (N,)), ``m`` (unit magnetisation, (N, 3)), ``energy`` (J, (N,)),
        ``energies`` (dict: term name -> J, (N,)), ``field`` (applied mu0 H in T, (N, 3)),
        ``terms`` (names of the field terms), ``steps``, ``rejected`` (adaptive methods),
        ``t_end`` (s), ``events`` (name -> crossing time in s, or None), ``interrupted``,
        ``failure`` (None).

    Raises
    ------
    ValueError
        A bad key or value (the message names it and the allowed range).
    RunFailed
        The integration failed; ``.partial`` holds the trajectory so far.
    Interrupted
        Ctrl-C; ``.partial`` holds the trajectory so far.
    """
    return _larmor.run(_scenario(scenario), precision=precision, seed=seed, every=every)


def ensemble(
    scenario: ScenarioLike,
    trials: int,
    *,
    seed: int = 0,
    precision: str = "f64",
    threads: Optional[int] = None,
    lanes: int = 8,
    progress: bool = False,
) -> Dict[str, Any]:
    """Independent stochastic trials, as ``larmor ensemble`` runs them (all cores, GIL released).

    Parameters
    ----------
    scenario
        A scenario with a ``[switching]`` table: a macrospin, a ``[lattice]`` or a
        ``[[layer]]`` stack (lattices and stacks: f64 only).
    trials
        Number of trials (>= 1). Trial ``k`` uses the random stream ``(seed, k)``: results do
        not depend on ``threads`` or ``lanes``.
    seed
        Seed of the campaign.
    precision
        ``"f64"`` or ``"f32"``.
    threads
        Worker threads (None: all cores).
    lanes
        8: fixed-step trials side by side in SIMD lanes; 1: one by one (same bits, slower).
    progress
        Show a progress bar on stderr (when it is a terminal).

    Returns
    -------
    dict
        ``trial`` (uint64), ``switched`` (bool), ``t_switch`` (s, first crossing of the
        switching axis; NaN if none), ``m`` (state at the read time, (N, 3)), ``summary``
        (``trials``, ``switched``, ``p_switch``, Wilson 95 % ``p_low`` and ``p_high``,
        ``mean_t_switch``, ``median_t_switch``: what ``--summary`` writes, from the rows as the
        CSV rounds them), ``interrupted``.
    """
    return _larmor.ensemble(
        _scenario(scenario),
        int(trials),
        seed=seed,
        precision=precision,
        threads=threads,
        lanes=lanes,
        progress=progress,
    )


def sweep(
    scenario: ScenarioLike,
    vary: str,
    values: Union[Sequence[float], np.ndarray],
    trials: int,
    *,
    seed: int = 0,
    threads: Optional[int] = None,
    lanes: int = 8,
    progress: bool = False,
) -> Dict[str, Any]:
    """Switching probability and write-error rate against a parameter, as ``larmor sweep``.

    Parameters
    ----------
    scenario
        A macrospin scenario with ``[switching]`` and ``[stt]`` or ``[sot]`` (usually
        ``[thermal]``).
    vary
        ``"current"`` (A/m^2), ``"voltage"`` (V), ``"width"`` (pulse width, s) or
        ``"temperature"`` (K).
    values
        The values of the varied parameter (SI units); :func:`grid` makes the command line's
        ``--from/--to/--points [--log]`` grids to the bit.
    trials
        Trials per point (1 to 2**32); trial ``k`` of point ``p`` uses the stream
        ``(seed, p * 2**32 + k)``.

    Returns
    -------
    dict
        One entry per point, as NumPy arrays: ``value``, ``trials``, ``switched``,
        ``p_switch``, ``p_low``, ``p_high`` (Wilson 95 %), ``wer`` (1 - p_switch),
        ``mean_t_switch``, ``median_t_switch`` (s, NaN when no trial switched); and
        ``interrupted``.
    """
    vals = np.asarray(values, dtype=float).ravel().tolist()
    return _larmor.sweep(
        _scenario(scenario),
        vary,
        vals,
        int(trials),
        seed=seed,
        threads=threads,
        lanes=lanes,
        progress=progress,
    )


def grid(start: float, stop: float, points: int, *, log: bool = False) -> np.ndarray:
    """The grid of ``larmor sweep --from START --to STOP --points N [--log]``, bit for bit:
    ``points`` values (2 to 10**6) from ``start`` to ``stop`` inclusive, evenly spaced, or
    geometrically with ``log`` (then both > 0)."""
    return _larmor.grid(float(start), float(stop), int(points), log=log)


def sw_astroid(points: int = 361) -> Dict[str, np.ndarray]:
    """The Stoner-Wohlfarth astroid (Stoner and Wohlfarth 1948), as ``larmor sw astroid``:
    ``psi_deg`` (field angle to the easy axis, degrees, ``points`` values from 0 to 360),
    ``h_sw`` (switching field, units of H_K), ``h_par`` and ``h_perp`` (its components)."""
    return _larmor.sw_astroid(int(points))


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
) -> Dict[str, Any]:
    """A quasi-static Stoner-Wohlfarth hysteresis loop +hmax -> -hmax -> +hmax, as
    ``larmor sw loop``: of one particle with its easy axis at ``psi`` degrees to the field, or
    of a ``population`` (``"random3d"``, ``"random2d"``, ``"aligned"``, ``"stratified3d"``,
    ``"stratified2d"``) of ``particles`` non-interacting particles (log-normal ``hk_spread``
    and ``volume_spread``; particle k depends only on (seed, k)).

    Returns ``h`` (units of H_K), ``m_par``, ``m_perp`` (units of Ms; 2 points - 1 values),
    ``remanence``, ``coercivity`` (None when not reached), their standard errors
    ``remanence_se``, ``coercivity_se`` (sampled populations, else None), and for one particle
    ``switching_field`` (the astroid's) and ``jumps`` (signed fields of the jumps in this loop);
    ``notes`` (warnings).
    """
    return _larmor.sw_loop(
        psi=psi,
        hmax=hmax,
        points=points,
        population=population,
        particles=particles,
        seed=seed,
        hk_spread=hk_spread,
        volume_spread=volume_spread,
        threads=threads,
    )


def neel_brown(
    sigma: float,
    h: float,
    *,
    alpha: Optional[float] = None,
    hk: Optional[float] = None,
    psi: float = 0.0,
    f0: Optional[float] = None,
    gamma: Optional[float] = None,
) -> Dict[str, Any]:
    """Neel-Brown relaxation of one Stoner-Wohlfarth particle (Neel 1949; Brown 1963), as
    ``larmor neel-brown --json``.

    ``sigma`` = K V / (kB T) (> 0), ``h`` = H / H_K inside the astroid, ``psi`` the field angle
    to the easy axis (degrees); Brown's prefactor needs ``alpha`` and ``hk`` (B_K = mu0 H_K in
    T), or give a fixed attempt frequency ``f0`` (Hz). ``gamma``: gyromagnetic ratio
    (rad/(s T), default the electron's).

    Returns ``tau`` (s), ``log10_tau``, ``escape_time`` (s), ``barrier`` (K V), ``barrier_kt``,
    ``f0`` (Hz), ``well``, both wells' ``barrier_up``/``barrier_down`` (and ``_kt``),
    ``f0_up``/``f0_down``, ``rate_up``/``rate_down`` (Hz), ``s0``, ``h_sw``,
    ``transverse_stiffness``, ``prefactor``, ``notes`` and ``input``; a value that overflows
    a float is None.
    """
    kw: Dict[str, Any] = dict(alpha=alpha, hk=hk, psi=psi, f0=f0)
    if gamma is not None:
        kw["gamma"] = gamma
    return _larmor.neel_brown(float(sigma), float(h), **kw)

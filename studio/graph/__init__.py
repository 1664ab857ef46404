"""The graph document: nodes, edges, undoable edits, change events and the ``.neurona`` file.

No Qt, no torch, no layer knowledge (the catalogue is passed in where it is needed).
"""

from .edits import AddNode, Connect, Disconnect, Edit, History, Macro, MoveNode, RemoveNode, RenameNode, SetGraphName, SetParam, SetSection
from .events import Change, Emitter
from .fileformat import FileProblem, GraphFileError
from .model import DEFAULT_IN, DEFAULT_OUT, MISSING, Edge, Graph, GraphError, Node, format_edge, node_id_problem

__all__ = [
    "AddNode", "Change", "Connect", "DEFAULT_IN", "DEFAULT_OUT", "Disconnect", "Edge", "Edit", "Emitter", "FileProblem",
    "Graph", "GraphError", "GraphFileError", "History", "MISSING", "Macro", "MoveNode", "Node", "RemoveNode",
    "RenameNode", "SetGraphName", "SetParam", "SetSection", "format_edge", "node_id_problem",
]

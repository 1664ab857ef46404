<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>Catalogue</name>
    <message>
        <source>Core</source>
        <translation>Básicas</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Activaciones</translation>
    </message>
    <message>
        <source>Convolution and pooling</source>
        <translation>Convolución y pooling</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>Normalización</translation>
    </message>
    <message>
        <source>Sequences (RNN)</source>
        <translation>Secuencias (RNN)</translation>
    </message>
    <message>
        <source>Attention and Transformers</source>
        <translation>Atención y Transformers</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Fusión</translation>
    </message>
</context>
<context>
    <name>ColumnPicker</name>
    <message>
        <source>Columns of {name}</source>
        <translation>Columnas de {name}</translation>
    </message>
    <message>
        <source>decided from the target column</source>
        <translation>según la columna objetivo</translation>
    </message>
    <message>
        <source>classification (the target holds classes)</source>
        <translation>clasificación (el objetivo son clases)</translation>
    </message>
    <message>
        <source>regression (the target is a number to predict)</source>
        <translation>regresión (el objetivo es un número que predecir)</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>Predecir</translation>
    </message>
    <message>
        <source>Learn from</source>
        <translation>Aprender de</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>The first rows:</source>
        <translation>Las primeras filas:</translation>
    </message>
    <message>
        <source>Choose at least one column to learn from.</source>
        <translation>Elige al menos una columna de la que aprender.</translation>
    </message>
</context>
<context>
    <name>DataPreview</name>
    <message>
        <source>Loading {spec}…</source>
        <translation>Cargando {spec}…</translation>
    </message>
    <message>
        <source>No preview: the data could not be loaded.</source>
        <translation>Sin vista previa: no se han podido cargar los datos.</translation>
    </message>
    <message>
        <source>{n} training points, coloured by class</source>
        <translation>{n} puntos de entrenamiento, coloreados por clase</translation>
    </message>
    <message>
        <source>The first {n} sequences ({steps} steps; first feature)</source>
        <translation>Las primeras {n} secuencias ({steps} pasos; primera característica)</translation>
    </message>
    <message>
        <source>class</source>
        <translation>clase</translation>
    </message>
    <message>
        <source>target</source>
        <translation>objetivo</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>Add node</source>
        <translation>Añadir nodo</translation>
    </message>
    <message>
        <source>Delete node</source>
        <translation>Eliminar nodo</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Mover</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Desconectar</translation>
    </message>
    <message>
        <source>Change parameter</source>
        <translation>Cambiar parámetro</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Cambiar nombre</translation>
    </message>
    <message>
        <source>Rename graph</source>
        <translation>Cambiar nombre de la red</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Pegar</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicar</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>Cortar</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Auto-arrange</source>
        <translation>Ordenar automáticamente</translation>
    </message>
    <message>
        <source>Training settings</source>
        <translation>Ajustes de entrenamiento</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Editar</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export the trained network</source>
        <translation>Exportar la red entrenada</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>The ONNX operator set: newer runtimes read newer ones; 17–18 suits most.</source>
        <translation>El conjunto de operadores de ONNX: los entornos más nuevos leen versiones más nuevas; 17–18 sirve para la mayoría.</translation>
    </message>
    <message>
        <source>The model normalises its input itself</source>
        <translation>El modelo normaliza su entrada él mismo</translation>
    </message>
    <message>
        <source>On: the model takes data in its own units (pixels 0–255, features as in the file) and scales them as training did, so any runtime gives the answers the studio gives. Off: whoever runs it must normalise the input first, as the model&apos;s metadata says.</source>
        <translation>Activado: el modelo toma los datos en sus propias unidades (píxeles 0–255, características como en el archivo) y los escala como lo hizo el entrenamiento, así que cualquier entorno de ejecución da las respuestas que da el estudio. Desactivado: quien lo ejecute debe normalizar antes la entrada, como dicen los metadatos del modelo.</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>Carpeta del entrenamiento</translation>
    </message>
    <message>
        <source>ONNX file</source>
        <translation>Archivo ONNX</translation>
    </message>
    <message>
        <source>Opset</source>
        <translation>Opset</translation>
    </message>
    <message>
        <source>The batch axis is dynamic: the model takes any number of samples.</source>
        <translation>El eje del lote es dinámico: el modelo acepta cualquier número de muestras.</translation>
    </message>
    <message>
        <source>Export to ONNX</source>
        <translation>Exportar a ONNX</translation>
    </message>
    <message>
        <source>Export PyTorch Code…</source>
        <translation>Exportar código PyTorch…</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>Modelos ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>Exporting and checking against PyTorch…</source>
        <translation>Exportando y comprobando contra PyTorch…</translation>
    </message>
    <message>
        <source>exit code {code}</source>
        <translation>código de salida {code}</translation>
    </message>
    <message>
        <source>The export failed: {reason}</source>
        <translation>La exportación falló: {reason}</translation>
    </message>
    <message>
        <source>Parity with PyTorch on {n} samples: largest difference {d} (tolerance {t}) — {verdict}</source>
        <translation>Paridad con PyTorch en {n} muestras: mayor diferencia {d} (tolerancia {t}) — {verdict}</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>superada</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>FALLIDA</translation>
    </message>
    <message>
        <source>Wrote {path} (opset {opset}).</source>
        <translation>Se escribió {path} (opset {opset}).</translation>
    </message>
</context>
<context>
    <name>GraphView</name>
    <message>
        <source>Cannot wire</source>
        <translation>No se puede conectar</translation>
    </message>
</context>
<context>
    <name>ImageOptions</name>
    <message>
        <source>Images in {name}</source>
        <translation>Imágenes de {name}</translation>
    </message>
    <message>
        <source>Grey (1 channel instead of 3)</source>
        <translation>En gris (1 canal en lugar de 3)</translation>
    </message>
    <message>
        <source>{n} classes: {names}</source>
        <translation>{n} clases: {names}</translation>
    </message>
    <message>
        <source>No subfolders: put the images of each class in a folder of its own.</source>
        <translation>No hay subcarpetas: pon las imágenes de cada clase en una carpeta propia.</translation>
    </message>
    <message>
        <source>Resize to (square)</source>
        <translation>Redimensionar a (cuadrado)</translation>
    </message>
</context>
<context>
    <name>InferencePanel</name>
    <message>
        <source>Open ONNX Model…</source>
        <translation>Abrir modelo ONNX…</translation>
    </message>
    <message>
        <source>Typed numbers</source>
        <translation>Números escritos</translation>
    </message>
    <message>
        <source>A file (image, CSV, .npy, .npz)</source>
        <translation>Un archivo (imagen, CSV, .npy, .npz)</translation>
    </message>
    <message>
        <source>A test sample of a data set</source>
        <translation>Una muestra de prueba de un conjunto de datos</translation>
    </message>
    <message>
        <source>sample </source>
        <translation>muestra </translation>
    </message>
    <message>
        <source>Which sample of the data set&apos;s test split to feed</source>
        <translation>Qué muestra de la parte de prueba del conjunto de datos introducir</translation>
    </message>
    <message>
        <source>The image fed to the model</source>
        <translation>La imagen que recibió el modelo</translation>
    </message>
    <message>
        <source>row </source>
        <translation>fila </translation>
    </message>
    <message>
        <source>The input held several samples: which one&apos;s answer to show</source>
        <translation>La entrada tenía varias muestras: de cuál mostrar la respuesta</translation>
    </message>
    <message>
        <source> of {n}</source>
        <translation> de {n}</translation>
    </message>
    <message>
        <source>The data set the samples come from (a built-in name or a data spec)</source>
        <translation>El conjunto de datos del que salen las muestras (un nombre incorporado o una especificación de datos)</translation>
    </message>
    <message>
        <source>Choose File…</source>
        <translation>Elegir archivo…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecutar</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>E/S</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>Class probabilities</source>
        <translation>Probabilidades por clase</translation>
    </message>
    <message>
        <source>No model open: export a trained run, or open any .onnx file.</source>
        <translation>No hay ningún modelo abierto: exporta un entrenamiento, o abre cualquier archivo .onnx.</translation>
    </message>
    <message>
        <source>Open ONNX model</source>
        <translation>Abrir modelo ONNX</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>Modelos ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>Cannot open {path}: {reason}</source>
        <translation>No se puede abrir {path}: {reason}</translation>
    </message>
    <message>
        <source>input</source>
        <translation>entrada</translation>
    </message>
    <message>
        <source>output</source>
        <translation>salida</translation>
    </message>
    <message>
        <source>{n} numbers, e.g. {example}</source>
        <translation>{n} números, p. ej. {example}</translation>
    </message>
    <message>
        <source>This model takes whole numbers ({dtype}): type them as the network takes them.</source>
        <translation>Este modelo recibe números enteros ({dtype}): escríbelos tal como los recibe la red.</translation>
    </message>
    <message>
        <source>Type raw values, in the data&apos;s own units: the model standardises them itself (it subtracts the training data&apos;s mean and divides by its standard deviation).</source>
        <translation>Escribe los valores tal cual, en las unidades de los datos: el modelo los estandariza él mismo (resta la media de los datos de entrenamiento y divide entre su desviación típica).</translation>
    </message>
    <message>
        <source>mean: {mean}
standard deviation: {std}</source>
        <translation>media: {mean}
desviación típica: {std}</translation>
    </message>
    <message>
        <source>Type the values already normalised: this model was exported without its normalisation, so subtract the training data&apos;s mean and divide by its standard deviation first.</source>
        <translation>Escribe los valores ya normalizados: este modelo se exportó sin su normalización, así que resta primero la media de los datos de entrenamiento y divide por su desviación típica.</translation>
    </message>
    <message>
        <source>Type the values as the network takes them: the model&apos;s metadata holds no normalisation, so they go in unchanged (standardise them first if it was trained on standardised data).</source>
        <translation>Escribe los valores tal como los recibe la red: los metadatos del modelo no incluyen normalización, así que entran sin cambios (estandarízalos antes si se entrenó con datos estandarizados).</translation>
    </message>
    <message>
        <source>({n} values)</source>
        <translation>({n} valores)</translation>
    </message>
    <message>
        <source>as the network takes them</source>
        <translation>tal como los recibe la red</translation>
    </message>
    <message>
        <source>in the data&apos;s own units: the model standardises them itself</source>
        <translation>en las unidades de los datos: el modelo los estandariza él mismo</translation>
    </message>
    <message>
        <source>normalised, as the network takes them: the model was exported without its normalisation</source>
        <translation>normalizados, como los toma la red: el modelo se exportó sin su normalización</translation>
    </message>
    <message>
        <source>as the network takes them: the model&apos;s metadata holds no normalisation</source>
        <translation>tal como los recibe la red: los metadatos del modelo no incluyen normalización</translation>
    </message>
    <message>
        <source>Loading {spec}…</source>
        <translation>Cargando {spec}…</translation>
    </message>
    <message>
        <source>{n} test samples</source>
        <translation>{n} muestras de prueba</translation>
    </message>
    <message>
        <source>Input for the model</source>
        <translation>Entrada para el modelo</translation>
    </message>
    <message>
        <source>Inputs (*.png *.jpg *.jpeg *.bmp *.csv *.npy *.npz *.pb)</source>
        <translation>Entradas (*.png *.jpg *.jpeg *.bmp *.csv *.npy *.npz *.pb)</translation>
    </message>
    <message>
        <source>for {n} samples</source>
        <translation>para {n} muestras</translation>
    </message>
    <message>
        <source>this model has {n} inputs: give them as an .npz file</source>
        <translation>este modelo tiene {n} entradas: dalas en un archivo .npz</translation>
    </message>
    <message>
        <source>type the numbers of one sample, separated by commas</source>
        <translation>escribe los números de una muestra, separados por comas</translation>
    </message>
    <message>
        <source>only numbers, separated by commas (and &apos;;&apos; between samples)</source>
        <translation>solo números, separados por comas (y &apos;;&apos; entre muestras)</translation>
    </message>
    <message>
        <source>the model takes {need} numbers per sample ({shape}) but you typed {got}</source>
        <translation>el modelo recibe {need} números por muestra ({shape}), pero escribiste {got}</translation>
    </message>
    <message>
        <source>this data set has no test samples</source>
        <translation>este conjunto de datos no tiene muestras de prueba</translation>
    </message>
    <message>
        <source>Test sample {i}: the true answer is {truth}</source>
        <translation>Muestra de prueba {i}: la respuesta correcta es {truth}</translation>
    </message>
    <message>
        <source>{name}, row {row}</source>
        <translation>{name}, fila {row}</translation>
    </message>
    <message>
        <source>Top classes: {best}</source>
        <translation>Clases más probables: {best}</translation>
    </message>
    <message>
        <source>{ms} ms in onnxruntime</source>
        <translation>{ms} ms en onnxruntime</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>{n} nodes selected. Select a single node to edit its parameters.</source>
        <translation>{n} nodos seleccionados. Selecciona un solo nodo para editar sus parámetros.</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Select a node to see and edit its parameters, shapes and teaching notes. Drag layers from the palette onto the canvas; drag from a port to another port to wire them.</source>
        <translation>Selecciona un nodo para ver y editar sus parámetros, sus formas y sus notas didácticas. Arrastra capas desde la paleta hasta el lienzo; arrastra desde un puerto hasta otro para conectarlos.</translation>
    </message>
    <message>
        <source>The node&apos;s name: it becomes the submodule&apos;s attribute name in PyTorch.</source>
        <translation>El nombre del nodo: será el nombre del atributo del submódulo en PyTorch.</translation>
    </message>
    <message>
        <source>Unknown layer type: this node cannot be edited until its type is fixed.</source>
        <translation>Tipo de capa desconocido: no podrás editar este nodo hasta que corrijas su tipo.</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>Shapes</source>
        <translation>Formas</translation>
    </message>
    <message>
        <source>About this layer</source>
        <translation>Acerca de esta capa</translation>
    </message>
    <message>
        <source>Valid: ready to train</source>
        <translation>Válida: lista para entrenar</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errores</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n advertencia</numerusform>
            <numerusform>%n advertencias</numerusform>
        </translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Salida</translation>
    </message>
    <message>
        <source>Shapes appear once the node is wired and its inputs are valid.</source>
        <translation>Las formas aparecen cuando el nodo está conectado y sus entradas son válidas.</translation>
    </message>
    <message>
        <source>Parameters: {n}</source>
        <translation>Parámetros: {n}</translation>
    </message>
    <message>
        <source>{n} of them trainable</source>
        <translation>{n} de ellos entrenables</translation>
    </message>
    <message>
        <source>No learnable parameters.</source>
        <translation>No tiene parámetros que aprender.</translation>
    </message>
    <message>
        <source>The field went back to {value}.</source>
        <translation>El campo ha vuelto a {value}.</translation>
    </message>
    <message>
        <source>another node is already called &apos;{id}&apos;</source>
        <translation>ya hay otro nodo llamado «{id}»</translation>
    </message>
    <message>
        <source>When to use it</source>
        <translation>Cuándo usarla</translation>
    </message>
    <message numerus="yes">
        <source>%n layer(s)</source>
        <translation>
            <numerusform>%n capa</numerusform>
            <numerusform>%n capas</numerusform>
        </translation>
    </message>
    <message>
        <source>{p} parameters ({t} trainable)</source>
        <translation>{p} parámetros ({t} entrenables)</translation>
    </message>
</context>
<context>
    <name>Limits</name>
    <message>
        <source>it is a probability or a fraction, so it lies between 0 and 1</source>
        <translation>es una probabilidad o una fracción, así que está entre 0 y 1</translation>
    </message>
    <message>
        <source>it is a count, a size or a step, and none of those can be zero or negative</source>
        <translation>es una cantidad, un tamaño o un paso, y ninguno de ellos puede ser cero ni negativo</translation>
    </message>
    <message>
        <source>it counts or scales something, and a negative amount means nothing here</source>
        <translation>cuenta o escala algo, y una cantidad negativa aquí no tiene sentido</translation>
    </message>
    <message>
        <source>it must stay above zero, since the layer divides by it or scales by it</source>
        <translation>debe quedar por encima de cero, porque la capa divide entre este valor o escala por él</translation>
    </message>
    <message>
        <source>the studio goes no higher, since a larger value is almost surely a typing slip</source>
        <translation>el estudio no admite más, porque un valor mayor es casi seguro un error al teclear</translation>
    </message>
    <message>
        <source>a layer counts whole things (filters, neurons, pixels, steps), never part of one</source>
        <translation>una capa cuenta cosas enteras (filtros, neuronas, píxeles, pasos), nunca una parte</translation>
    </message>
    <message>
        <source>whole numbers from {lo} to {hi}</source>
        <translation>números enteros de {lo} a {hi}</translation>
    </message>
    <message>
        <source>whole numbers from {lo} up</source>
        <translation>números enteros desde {lo}</translation>
    </message>
    <message>
        <source>whole numbers up to {hi}</source>
        <translation>números enteros hasta {hi}</translation>
    </message>
    <message>
        <source>any whole number</source>
        <translation>cualquier número entero</translation>
    </message>
    <message>
        <source>numbers from {lo} to {hi}</source>
        <translation>números de {lo} a {hi}</translation>
    </message>
    <message>
        <source>numbers from {lo} up</source>
        <translation>números desde {lo}</translation>
    </message>
    <message>
        <source>numbers up to {hi}</source>
        <translation>números hasta {hi}</translation>
    </message>
    <message>
        <source>any number</source>
        <translation>cualquier número</translation>
    </message>
    <message>
        <source>on or off</source>
        <translation>activado o desactivado</translation>
    </message>
    <message>
        <source>{span}, for height and width</source>
        <translation>{span}, para alto y ancho</translation>
    </message>
    <message>
        <source>{span}, for height and width, or &apos;same&apos; or &apos;valid&apos;</source>
        <translation>{span}, para alto y ancho, o &apos;same&apos; o &apos;valid&apos;</translation>
    </message>
    <message>
        <source>{low} to {high} {span}, separated by commas</source>
        <translation>de {low} a {high} {span}, separados por comas</translation>
    </message>
    <message>
        <source>; one of them may be -1, worked out from the others</source>
        <translation>; uno de ellos puede ser -1, que se calcula a partir de los demás</translation>
    </message>
    <message>
        <source>; or none (untick the box)</source>
        <translation>; o ninguno (desmarca la casilla)</translation>
    </message>
    <message>
        <source>Allowed: {what}.</source>
        <translation>Se admite: {what}.</translation>
    </message>
</context>
<context>
    <name>LivePlots</name>
    <message>
        <source>Loss</source>
        <translation>Pérdida</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>lote</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>época</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Tasa de aprendizaje</translation>
    </message>
    <message>
        <source>loss per batch</source>
        <translation>pérdida por lote</translation>
    </message>
    <message>
        <source>training (per epoch)</source>
        <translation>entrenamiento (por época)</translation>
    </message>
    <message>
        <source>validation (per epoch)</source>
        <translation>validación (por época)</translation>
    </message>
    <message>
        <source>earlier runs (validation)</source>
        <translation>entrenamientos anteriores (validación)</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exactitud (accuracy)</translation>
    </message>
    <message>
        <source>R² (1 is perfect)</source>
        <translation>R² (1 es perfecto)</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>suavizada</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No recent files</source>
        <translation>No hay archivos recientes</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>Vaciar la lista</translation>
    </message>
    <message>
        <source>Dupl&amp;icate</source>
        <translation>D&amp;uplicar</translation>
    </message>
    <message>
        <source>&amp;Undo {what}</source>
        <translation>&amp;Deshacer: {what}</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo {what}</source>
        <translation>&amp;Rehacer: {what}</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>{name} (not saved)</source>
        <translation>{name} (sin guardar)</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errores</numerusform>
        </translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Red válida</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n advertencia</numerusform>
            <numerusform>%n advertencias</numerusform>
        </translation>
    </message>
    <message>
        <source>Parameters: {n}</source>
        <translation>Parámetros: {n}</translation>
    </message>
    <message>
        <source>Cannot wire: {reason}</source>
        <translation>No se puede conectar: {reason}</translation>
    </message>
    <message>
        <source>The clipboard holds no layers to paste.</source>
        <translation>El portapapeles no contiene capas para pegar.</translation>
    </message>
    <message>
        <source>Cannot paste: {reason}</source>
        <translation>No se puede pegar: {reason}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <source>“{name}” has changes that are not saved.</source>
        <translation>«{name}» tiene cambios sin guardar.</translation>
    </message>
    <message>
        <source>Save them before going on?</source>
        <translation>¿Quieres guardarlos antes de continuar?</translation>
    </message>
    <message>
        <source>Open network</source>
        <translation>Abrir red</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>Se abrió {path}</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>No se puede abrir el archivo</translation>
    </message>
    <message>
        <source>{file} could not be opened; the network you had open is unchanged.</source>
        <translation>No se pudo abrir {file}; la red que tenías abierta no ha cambiado.</translation>
    </message>
    <message>
        <source>Save network as</source>
        <translation>Guardar red como</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>No se puede guardar</translation>
    </message>
    <message>
        <source>{file} could not be written: {reason}. Your work is still open; try another folder.</source>
        <translation>No se pudo escribir {file}: {reason}. Tu trabajo sigue abierto; prueba con otra carpeta.</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Se guardó {path}</translation>
    </message>
    <message>
        <source>Cannot export code</source>
        <translation>No se puede exportar el código</translation>
    </message>
    <message>
        <source>Export PyTorch code</source>
        <translation>Exportar código PyTorch</translation>
    </message>
    <message>
        <source>Python files (*.py)</source>
        <translation>Archivos de Python (*.py)</translation>
    </message>
    <message>
        <source>Wrote PyTorch code to {path}</source>
        <translation>Se escribió el código PyTorch en {path}</translation>
    </message>
    <message>
        <source>Autosave failed: {reason}</source>
        <translation>Falló el guardado automático: {reason}</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>¿Restaurar el trabajo sin guardar?</translation>
    </message>
    <message>
        <source>Neurona Studio did not close properly. Unsaved changes to “{name}” from {when} were kept.</source>
        <translation>Neurona Studio no se cerró correctamente. Se conservaron los cambios sin guardar de «{name}» ({when}).</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restaurar</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Ahora no</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>No se puede restaurar</translation>
    </message>
    <message>
        <source>About Neurona Studio</source>
        <translation>Acerca de Neurona Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Neurona Studio {version}&lt;/h3&gt;&lt;p&gt;Design neural networks by wiring layers together, see every tensor shape as you build, and export the result as PyTorch code.&lt;/p&gt;&lt;p&gt;Headless commands: &lt;code&gt;neurona --help&lt;/code&gt;&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Neurona Studio {version}&lt;/h3&gt;&lt;p&gt;Diseña redes neuronales conectando capas, ve la forma de cada tensor mientras construyes y exporta el resultado como código PyTorch.&lt;/p&gt;&lt;p&gt;Comandos sin interfaz gráfica: &lt;code&gt;neurona --help&lt;/code&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Nuevo</translation>
    </message>
    <message>
        <source>There is no finished run to export yet: train the network first (F5).</source>
        <translation>Todavía no hay ningún entrenamiento terminado que exportar: entrena antes la red (F5).</translation>
    </message>
    <message>
        <source>Start an empty network</source>
        <translation>Empezar una red vacía</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <source>Open a .neurona graph file</source>
        <translation>Abrir un archivo de red .neurona</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save the network</source>
        <translation>Guardar la red</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Guardar &amp;como…</translation>
    </message>
    <message>
        <source>Save the network under a new name</source>
        <translation>Guardar la red con otro nombre</translation>
    </message>
    <message>
        <source>&amp;Export PyTorch Code…</source>
        <translation>&amp;Exportar código PyTorch…</translation>
    </message>
    <message>
        <source>Write the network as a standalone PyTorch module</source>
        <translation>Escribir la red como un módulo de PyTorch independiente</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cor&amp;tar</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Pegar</translation>
    </message>
    <message>
        <source>Duplicate the selected layers</source>
        <translation>Duplicar las capas seleccionadas</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Eliminar</translation>
    </message>
    <message>
        <source>Delete the selected layers and wires</source>
        <translation>Eliminar las capas y conexiones seleccionadas</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Seleccionar todo</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Acercar</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>A&amp;lejar</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>Ajustar a la &amp;ventana</translation>
    </message>
    <message>
        <source>Show the whole network</source>
        <translation>Mostrar la red completa</translation>
    </message>
    <message>
        <source>Auto-&amp;arrange</source>
        <translation>&amp;Ordenar automáticamente</translation>
    </message>
    <message>
        <source>Lay the network out left to right</source>
        <translation>Colocar la red de izquierda a derecha</translation>
    </message>
    <message>
        <source>&amp;About Neurona Studio</source>
        <translation>&amp;Acerca de Neurona Studio</translation>
    </message>
    <message>
        <source>&amp;Start Training</source>
        <translation>&amp;Iniciar entrenamiento</translation>
    </message>
    <message>
        <source>Train the network on the chosen data</source>
        <translation>Entrena la red con los datos elegidos</translation>
    </message>
    <message>
        <source>&amp;Pause or Resume</source>
        <translation>&amp;Pausar o reanudar</translation>
    </message>
    <message>
        <source>S&amp;top Training</source>
        <translation>&amp;Detener entrenamiento</translation>
    </message>
    <message>
        <source>&amp;Export the Last Run to ONNX…</source>
        <translation>&amp;Exportar el último entrenamiento a ONNX…</translation>
    </message>
    <message>
        <source>Export, with a parity check against PyTorch</source>
        <translation>Exporta, comprobando la paridad con PyTorch</translation>
    </message>
    <message>
        <source>&amp;Open an ONNX Model…</source>
        <translation>&amp;Abrir un modelo ONNX…</translation>
    </message>
    <message>
        <source>Run any ONNX model with onnxruntime</source>
        <translation>Ejecuta cualquier modelo ONNX con onnxruntime</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>E&amp;ntrenar</translation>
    </message>
    <message>
        <source>New from &amp;Template</source>
        <translation>Nuevo a partir de &amp;plantilla</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Capas</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <source>Summary and problems</source>
        <translation>Resumen y problemas</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Entrenamiento</translation>
    </message>
    <message>
        <source>Inference</source>
        <translation>Inferencia</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barra de herramientas principal</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Cambiar nombre…</translation>
    </message>
    <message>
        <source>Add Layer Here</source>
        <translation>Añadir capa aquí</translation>
    </message>
    <message>
        <source>A run is training</source>
        <translation>Hay un entrenamiento en curso</translation>
    </message>
    <message>
        <source>“{name}” is training. Stop the run to open another network?</source>
        <translation>«{name}» se está entrenando. ¿Detener el entrenamiento para abrir otra red?</translation>
    </message>
    <message>
        <source>The run&apos;s folder keeps what it has learned so far.</source>
        <translation>La carpeta del entrenamiento conserva lo que ha aprendido hasta ahora.</translation>
    </message>
    <message>
        <source>Stop the Run</source>
        <translation>Detener el entrenamiento</translation>
    </message>
    <message>
        <source>Neurona graphs (*.neurona);;JSON (*.json);;All files (*)</source>
        <translation>Redes de Neurona (*.neurona);;JSON (*.json);;Todos los archivos (*)</translation>
    </message>
    <message numerus="yes">
        <source>The network has %n error(s); fix them first (see the problems list).</source>
        <translation>
            <numerusform>La red tiene %n error; corrígelo primero (mira la lista de problemas).</numerusform>
            <numerusform>La red tiene %n errores; corrígelos primero (mira la lista de problemas).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PairEditor</name>
    <message>
        <source>Same value for height and width</source>
        <translation>Mismo valor para el alto y el ancho</translation>
    </message>
    <message>
        <source>Different height and width</source>
        <translation>Alto y ancho distintos</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Search layers…</source>
        <translation>Buscar capas…</translation>
    </message>
    <message>
        <source>Type a layer name, a Keras name or a keyword: dense, pooling, LSTM, attention…</source>
        <translation>Escribe el nombre de una capa, su nombre en Keras o una palabra clave: dense, pooling, LSTM, atención…</translation>
    </message>
    <message>
        <source>Drag onto the canvas, or double-click to add after the selected node.</source>
        <translation>Arrástrala al lienzo o haz doble clic para añadirla después del nodo seleccionado.</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>network</source>
        <translation>red</translation>
    </message>
</context>
<context>
    <name>SamplesView</name>
    <message>
        <source>The network&apos;s answers on test samples appear here after training.</source>
        <translation>Aquí aparecen, tras el entrenamiento, las respuestas de la red a muestras de prueba.</translation>
    </message>
    <message>
        <source>This run left no sample predictions.</source>
        <translation>Este entrenamiento no dejó predicciones de muestra.</translation>
    </message>
    <message>
        <source>predicted {label}</source>
        <translation>predicha {label}</translation>
    </message>
    <message>
        <source>true {label}</source>
        <translation>real {label}</translation>
    </message>
    <message numerus="yes">
        <source>{n} test images, each with the network&apos;s answer and the true class: %n mistake(s), in red, first.</source>
        <translation>
            <numerusform>{n} imágenes de prueba, cada una con la respuesta de la red y la clase real: %n error, en rojo, va primero.</numerusform>
            <numerusform>{n} imágenes de prueba, cada una con la respuesta de la red y la clase real: %n errores, en rojo, van primero.</numerusform>
        </translation>
    </message>
    <message>
        <source>{n} test images, each with the network&apos;s answer and the true class: no mistakes.</source>
        <translation>{n} imágenes de prueba, cada una con la respuesta de la red y la clase real: sin errores.</translation>
    </message>
    <message>
        <source>input</source>
        <translation>entrada</translation>
    </message>
    <message>
        <source>output</source>
        <translation>salida</translation>
    </message>
    <message>
        <source>Decision regions: the colour is the predicted class, paler where the network is unsure; ✕ marks a test point it gets wrong ({wrong} of {n}).</source>
        <translation>Regiones de decisión: el color es la clase predicha, más pálido donde la red duda; ✕ marca un punto de prueba que falla ({wrong} de {n}).</translation>
    </message>
    <message>
        <source>actual</source>
        <translation>real</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>predicho</translation>
    </message>
    <message>
        <source>Predicted against actual on {n} test samples: a point on the dashed line is a perfect prediction.</source>
        <translation>Predicho frente a real en {n} muestras de prueba: un punto sobre la línea discontinua es una predicción perfecta.</translation>
    </message>
    <message>
        <source>true</source>
        <translation>real</translation>
    </message>
    <message>
        <source>confidence</source>
        <translation>confianza</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>Forma de salida</translation>
    </message>
    <message>
        <source>Param #</source>
        <translation>Parámetros</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <source>Total params: {t} · Trainable: {tr} · Non-trainable: {n}</source>
        <translation>Parámetros totales: {t} · Entrenables: {tr} · No entrenables: {n}</translation>
    </message>
    <message>
        <source>No problems: every shape fits.</source>
        <translation>Sin problemas: todas las formas encajan.</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errores</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n advertencia</numerusform>
            <numerusform>%n advertencias</numerusform>
        </translation>
    </message>
    <message>
        <source>click one to go to its node</source>
        <translation>haz clic en uno para ir a su nodo</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Épocas</translation>
    </message>
    <message>
        <source>Gradient descent</source>
        <translation>Descenso del gradiente</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamaño del lote</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Optimizador</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Tasa de aprendizaje</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Pérdida</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Programación de la tasa</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>Parada temprana</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>Parte para validación</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semilla</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desactivada</translation>
    </message>
    <message>
        <source> epochs without improvement</source>
        <translation> épocas sin mejora</translation>
    </message>
    <message>
        <source>A built-in data set, or your own: csv:data.csv?target=label, npz:data.npz, images:folder/?size=28&amp;gray=1</source>
        <translation>Un conjunto de datos incluido, o los tuyos: csv:data.csv?target=label, npz:data.npz, images:folder/?size=28&amp;gray=1</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <source>Train on your own data: a CSV file, a NumPy .npz file or a folder of images</source>
        <translation>Entrena con tus propios datos: un archivo CSV, un archivo .npz de NumPy o una carpeta de imágenes</translation>
    </message>
    <message>
        <source>smooth L1</source>
        <translation>L1 suavizada</translation>
    </message>
    <message>
        <source>In the file and on the command line: {value}</source>
        <translation>En el archivo y en la línea de órdenes: {value}</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Export the last run to ONNX, checked against PyTorch</source>
        <translation>Exporta el último entrenamiento a ONNX, comprobado contra PyTorch</translation>
    </message>
    <message>
        <source>Test metrics (best weights)</source>
        <translation>Métricas de prueba (mejores pesos)</translation>
    </message>
    <message>
        <source>Earlier runs (dashed validation curves; untick to hide)</source>
        <translation>Entrenamientos anteriores (curvas de validación discontinuas; desmarca para ocultar)</translation>
    </message>
    <message>
        <source>Sample predictions (test set)</source>
        <translation>Predicciones de muestra (conjunto de prueba)</translation>
    </message>
    <message>
        <source>Train on a CSV file</source>
        <translation>Entrenar con un archivo CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>Archivos CSV (*.csv *.tsv *.txt);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Cannot read the file</source>
        <translation>No se puede leer el archivo</translation>
    </message>
    <message>
        <source>Train on a NumPy file</source>
        <translation>Entrenar con un archivo de NumPy</translation>
    </message>
    <message>
        <source>NumPy archives (*.npz);;All files (*)</source>
        <translation>Archivos de NumPy (*.npz);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Train on a folder of images (one subfolder per class)</source>
        <translation>Entrenar con una carpeta de imágenes (una subcarpeta por clase)</translation>
    </message>
    <message>
        <source>✓ Fits the network: {train} training, {val} validation and {test} test samples of {shape}</source>
        <translation>✓ Encaja con la red: {train} muestras de entrenamiento, {val} de validación y {test} de prueba, de {shape}</translation>
    </message>
    <message>
        <source>, {n} classes</source>
        <translation>, {n} clases</translation>
    </message>
    <message>
        <source> (reshaped from {shape})</source>
        <translation> (con la forma cambiada desde {shape})</translation>
    </message>
    <message>
        <source>Your own data (see the tooltip).</source>
        <translation>Tus propios datos (mira la descripción emergente).</translation>
    </message>
    <message>
        <source>The file&apos;s training settings have mistakes; the form shows the defaults for them, and the next run uses those:</source>
        <translation>Los ajustes de entrenamiento del archivo tienen errores; el formulario muestra en su lugar los valores predeterminados, y la próxima ejecución usa esos:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>automático</translation>
    </message>
    <message>
        <source>Looking for CUDA devices…</source>
        <translation>Buscando dispositivos CUDA…</translation>
    </message>
    <message>
        <source>auto → {id}</source>
        <translation>automático → {id}</translation>
    </message>
    <message>
        <source>The first CUDA device ({name}), with mixed precision</source>
        <translation>El primer dispositivo CUDA ({name}), con precisión mixta</translation>
    </message>
    <message>
        <source>auto → cpu</source>
        <translation>automático → cpu</translation>
    </message>
    <message>
        <source>No CUDA device was found on this machine: training runs on the processor.</source>
        <translation>No se ha encontrado ningún dispositivo CUDA en este equipo: el entrenamiento se hace en el procesador.</translation>
    </message>
    <message>
        <source>{id} — {name}, {memory} GB</source>
        <translation>{id} — {name}, {memory} GB</translation>
    </message>
    <message>
        <source>cpu — {name}</source>
        <translation>cpu — {name}</translation>
    </message>
    <message>
        <source>cpu — the processor</source>
        <translation>cpu — el procesador</translation>
    </message>
    <message>
        <source>{id} (not found on this machine)</source>
        <translation>{id} (no está en este equipo)</translation>
    </message>
    <message>
        <source>must be a number, such as 0.001</source>
        <translation>debe ser un número, como 0.001</translation>
    </message>
    <message>
        <source>The network has problems; fix them first (see the problems list).</source>
        <translation>La red tiene problemas; corrígelos primero (mira la lista de problemas).</translation>
    </message>
    <message>
        <source>Choose the data to train on.</source>
        <translation>Elige los datos con los que entrenar.</translation>
    </message>
    <message>
        <source>Cannot write the run folder {path}: {reason}</source>
        <translation>No se puede escribir la carpeta del entrenamiento {path}: {reason}</translation>
    </message>
    <message>
        <source>Starting (loading the data)…</source>
        <translation>Empezando (cargando los datos)…</translation>
    </message>
    <message>
        <source>Starting (loading PyTorch and the data)…</source>
        <translation>Iniciando (cargando PyTorch y los datos)…</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>En pausa.</translation>
    </message>
    <message>
        <source>Training on {device}: {n} samples, {b} batches per epoch.</source>
        <translation>Entrenando en {device}: {n} muestras, {b} lotes por época.</translation>
    </message>
    <message>
        <source>Epoch {e}/{n} · batch {b} · {s} samples/s · {eta} left</source>
        <translation>Época {e}/{n} · lote {b} · {s} muestras/s · faltan {eta}</translation>
    </message>
    <message>
        <source>Epoch {e}/{n} · validation loss {l}</source>
        <translation>Época {e}/{n} · pérdida de validación {l}</translation>
    </message>
    <message>
        <source>accuracy {a}</source>
        <translation>exactitud {a}</translation>
    </message>
    <message>
        <source>{eta} left</source>
        <translation>faltan {eta}</translation>
    </message>
    <message>
        <source>Overfitting: the validation loss has been rising while the training loss keeps falling — the network is memorising the training samples instead of learning what generalises. Try Dropout, fewer parameters, weight decay, more data, or early stopping.</source>
        <translation>Sobreajuste: la pérdida de validación sube mientras la de entrenamiento sigue bajando — la red está memorizando las muestras de entrenamiento en lugar de aprender lo que generaliza. Prueba con Dropout, menos parámetros, weight decay, más datos o parada temprana.</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <source>Stopped early (no more improvement)</source>
        <translation>Detenido antes de tiempo (sin más mejora)</translation>
    </message>
    <message>
        <source>{reason} after {n} epochs in {t}; best epoch {b}. Run folder: {path}</source>
        <translation>{reason} tras {n} épocas en {t}; mejor época: {b}. Carpeta del entrenamiento: {path}</translation>
    </message>
    <message>
        <source>{name}: test accuracy {a}</source>
        <translation>{name}: exactitud de prueba {a}</translation>
    </message>
    <message>
        <source>Export the run {name} to ONNX, checked against PyTorch</source>
        <translation>Exportar el entrenamiento {name} a ONNX, comprobado frente a PyTorch</translation>
    </message>
    <message>
        <source>The run did not finish.</source>
        <translation>El entrenamiento no terminó.</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exactitud (accuracy)</translation>
    </message>
    <message>
        <source>Precision (macro average)</source>
        <translation>Precisión (media macro)</translation>
    </message>
    <message>
        <source>Recall (macro average)</source>
        <translation>Exhaustividad o recall (media macro)</translation>
    </message>
    <message>
        <source>F1 (macro average)</source>
        <translation>F1 (media macro)</translation>
    </message>
    <message>
        <source>MSE (mean squared error)</source>
        <translation>MSE (error cuadrático medio)</translation>
    </message>
    <message>
        <source>RMSE (root of the MSE)</source>
        <translation>RMSE (raíz del MSE)</translation>
    </message>
    <message>
        <source>MAE (mean absolute error)</source>
        <translation>MAE (error absoluto medio)</translation>
    </message>
    <message>
        <source>R² (coefficient of determination)</source>
        <translation>R² (coeficiente de determinación)</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Métrica</translation>
    </message>
    <message>
        <source>&amp;CSV file…</source>
        <translation>Archivo &amp;CSV…</translation>
    </message>
    <message>
        <source>&amp;NumPy .npz file (arrays X and y)…</source>
        <translation>Archivo .npz de &amp;NumPy (matrices X e y)…</translation>
    </message>
    <message>
        <source>&amp;Image folder (one subfolder per class)…</source>
        <translation>Carpeta de &amp;imágenes (una subcarpeta por clase)…</translation>
    </message>
    <message>
        <source>mini-batch</source>
        <translation>minilotes</translation>
    </message>
    <message>
        <source>A batch of samples per step (the batch size)</source>
        <translation>Un lote de muestras en cada paso (el tamaño de lote)</translation>
    </message>
    <message>
        <source>full batch</source>
        <translation>lote completo</translation>
    </message>
    <message>
        <source>Every training sample in each step</source>
        <translation>Todas las muestras de entrenamiento en cada paso</translation>
    </message>
    <message>
        <source>stochastic</source>
        <translation>estocástico</translation>
    </message>
    <message>
        <source>One sample per step</source>
        <translation>Una muestra en cada paso</translation>
    </message>
    <message>
        <source>Stochastic gradient descent</source>
        <translation>Descenso de gradiente estocástico</translation>
    </message>
    <message>
        <source>Adam with decoupled weight decay</source>
        <translation>Adam con decaimiento de pesos desacoplado</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automática</translation>
    </message>
    <message>
        <source>Chosen from the network and the data</source>
        <translation>Elegida según la red y los datos</translation>
    </message>
    <message>
        <source>Mean squared error</source>
        <translation>Error cuadrático medio</translation>
    </message>
    <message>
        <source>Mean absolute error</source>
        <translation>Error absoluto medio</translation>
    </message>
    <message>
        <source>BCE (probabilities)</source>
        <translation>BCE (probabilidades)</translation>
    </message>
    <message>
        <source>Binary cross-entropy on probabilities (after a Sigmoid)</source>
        <translation>Entropía cruzada binaria sobre probabilidades (tras una Sigmoid)</translation>
    </message>
    <message>
        <source>BCE with logits</source>
        <translation>BCE con logits</translation>
    </message>
    <message>
        <source>Binary cross-entropy on scores (no Sigmoid at the end)</source>
        <translation>Entropía cruzada binaria sobre puntuaciones (sin Sigmoid al final)</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>entropía cruzada</translation>
    </message>
    <message>
        <source>For classes: scores in, class out</source>
        <translation>Para clases: entran puntuaciones, sale una clase</translation>
    </message>
    <message>
        <source>Negative log-likelihood (after a LogSoftmax)</source>
        <translation>Log-verosimilitud negativa (tras una LogSoftmax)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>The learning rate stays the same</source>
        <translation>La tasa de aprendizaje no cambia</translation>
    </message>
    <message>
        <source>step</source>
        <translation>escalonada</translation>
    </message>
    <message>
        <source>Lower the rate every few epochs</source>
        <translation>Baja la tasa cada pocas épocas</translation>
    </message>
    <message>
        <source>exponential</source>
        <translation>exponencial</translation>
    </message>
    <message>
        <source>Lower the rate a little every epoch</source>
        <translation>Baja un poco la tasa en cada época</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>coseno</translation>
    </message>
    <message>
        <source>Lower the rate along a cosine, to zero at the end</source>
        <translation>Baja la tasa siguiendo un coseno, hasta cero al final</translation>
    </message>
    <message>
        <source>on a plateau</source>
        <translation>en meseta</translation>
    </message>
    <message>
        <source>Lower the rate when learning stalls</source>
        <translation>Baja la tasa cuando el aprendizaje se estanca</translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation>Curvas de aprendizaje</translation>
    </message>
    <message>
        <source>Test results</source>
        <translation>Resultados de prueba</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>Matriz de confusión</translation>
    </message>
    <message>
        <source>rows: true class · columns: predicted</source>
        <translation>filas: clase real · columnas: predicha</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
</context>
<context>
    <name>TrainingProcess</name>
    <message>
        <source>The training process could not start ({python}).</source>
        <translation>No se pudo iniciar el proceso de entrenamiento ({python}).</translation>
    </message>
    <message>
        <source>The training process stopped unexpectedly (it was killed or crashed); the run directory keeps the last saved weights.</source>
        <translation>El proceso de entrenamiento se detuvo de forma inesperada (lo cerraron o falló); la carpeta del entrenamiento conserva los últimos pesos guardados.</translation>
    </message>
    <message>
        <source>The training process ended with exit code {code} before finishing.</source>
        <translation>El proceso de entrenamiento terminó con el código de salida {code} antes de acabar.</translation>
    </message>
</context>
</TS>

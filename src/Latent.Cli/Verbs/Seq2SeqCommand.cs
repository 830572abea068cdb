using System.CommandLine;
using System.Globalization;
using Latent.Applications.SequenceToSequence;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Reporting;
using Latent.Models.Sequence;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent seq2seq train|predict`: learn to write target token sequences from source sequences (a CSV of <c>source</c>,
/// <c>target</c> columns, tokens separated by spaces) with a recurrent encoder–decoder, and write predictions for new
/// sources (greedy or beam search), scored when the file also has targets.
/// </summary>
internal static class Seq2SeqCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create() => new("seq2seq", "Sequence-to-sequence: train a recurrent encoder-decoder on token sequence pairs, predict targets for new sources.")
    {
        CreateTrain(),
        CreatePredict(),
    };

    private static Command CreateTrain()
    {
        var data = new Option<string?>("--data")
        {
            Description = "A CSV with the columns 'source' and 'target', each a sequence of tokens separated by spaces (with --frames: the digit images to animate, mnist by default).",
        };
        var output = CommonOptions.Out("Where to save the model (.safetensors).");
        var frames = new Option<bool>("--frames")
        {
            Description = "Learn next-frame prediction instead: Moving-MNIST clips (two digits bouncing in 64×64 frames, 10 watched, 10 predicted) made from the digits.",
        };
        var clips = new Option<int>("--clips") { Description = "With --frames: training clips to generate.", DefaultValueFactory = _ => 8000 };
        var strips = new Option<string?>("--strips") { Description = "With --frames: the folder for PNG strips of held-out clips (watched, true and predicted frames); default: next to --out." };
        var dataDir = CommonOptions.DataDir();
        var defaults = new Seq2SeqOptions();
        var cell = new Option<string>("--cell") { Description = "The recurrent cell: lstm or gru.", DefaultValueFactory = _ => "lstm" };
        cell.AcceptOnlyFromAmong("lstm", "gru");
        var hidden = new Option<string>("--hidden")
        {
            Description = "Units of each stacked recurrent layer (and direction), comma-separated, all the same: 128,128 is two layers of 128.",
            DefaultValueFactory = _ => string.Join(",", Enumerable.Repeat(defaults.Hidden, defaults.Layers)),
        };
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Let the encoder also read each source backwards." };
        var embedding = new Option<int>("--embedding") { Description = "Learned token vectors of this size (0: one-hot tokens, good for small vocabularies).", DefaultValueFactory = _ => defaults.EmbeddingSize };
        var teacherForcing = new Option<float>("--teacher-forcing") { Description = "Share of decoder steps that read the true previous token while training (the rest read the model's guess).", DefaultValueFactory = _ => defaults.TeacherForcing };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (the best epoch on held-out pairs is kept).", DefaultValueFactory = _ => defaults.Training.Epochs };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("train", "Learn to write each pair's target from its source; save the model.")
        {
            data, output, cell, hidden, bidirectional, embedding, teacherForcing, epochs, seed, json, force, frames, clips, strips, dataDir,
        };
        command.SetAction((parse, cancel) =>
        {
            Option[] tokenOptions = [cell, hidden, bidirectional, embedding, teacherForcing], frameOptions = [clips, strips, dataDir];
            bool framesWanted = parse.GetValue(frames);
            if ((framesWanted ? tokenOptions : frameOptions).FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
                throw new UsageException(framesWanted ? $"{stray.Name} is for token sequences, not with --frames." : $"{stray.Name} needs --frames.");
            if (framesWanted) return Task.FromResult(TrainFrames(parse, data, output, epochs, seed, json, force, clips, strips, dataDir, cancel));
            string dataPath = parse.GetValue(data) ?? throw new UsageException("--data is required: a CSV of 'source' and 'target' token sequences (or use --frames).");
            string outPath = parse.GetValue(output)!;
            int[] widths = CommonOptions.ParseWidths(parse.GetValue(hidden)!);
            if (widths.Length == 0) throw new UsageException("--hidden needs at least one width, e.g. 128 or 128,128.");
            if (widths.Distinct().Count() > 1) throw new UsageException($"--hidden: the stacked layers share one width; got {parse.GetValue(hidden)}.");
            var options = defaults with
            {
                Cell = parse.GetValue(cell) == "gru" ? RecurrentCell.Gru : RecurrentCell.Lstm,
                Hidden = widths[0],
                Layers = widths.Length,
                Bidirectional = parse.GetValue(bidirectional),
                EmbeddingSize = parse.GetValue(embedding),
                TeacherForcing = parse.GetValue(teacherForcing),
                Training = defaults.Training with { Epochs = CommonOptions.Positive(parse.GetValue(epochs), epochs.Name), Seed = parse.GetValue(seed) },
            };
            OutputFile file = OutputFile.File(outPath, output.Name, parse.GetValue(force), (data.Name, dataPath));
            IReadOnlyList<SequencePair> pairs = SequencePairsFile.Read(dataPath);
            Seq2Seq model = parse.GetValue(json)
                ? Seq2Seq.Fit(pairs, options, cancel: cancel)
                : TrainingProgressView.Run($"Training on {Counted.Of(pairs.Count, "pair")}", progress => Seq2Seq.Fit(pairs, options, progress, cancel));
            model.Save(file.Staging);
            OutputFile.CommitAll(cancel);
            var history = model.History!;
            if (parse.GetValue(json))
                JsonOutput.Print(new
                {
                    model = outPath, pairs = pairs.Count, epochs = history.Epochs.Count, best_epoch = history.BestEpoch, best_loss = history.BestLoss,
                    fixed_length = model.FixedLength, train_seconds = history.TotalSeconds,
                });
            else
                Console.WriteLine(string.Create(Inv,
                    $"Trained on {Counted.Of(pairs.Count, "pair")} in {history.TotalSeconds:F1} s (best epoch {history.BestEpoch}, loss {history.BestLoss:F4}); saved {outPath}."));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>`seq2seq train --frames`: a next-frame predictor on Moving-MNIST clips, and PNG strips of four held-out clips.</summary>
    private static int TrainFrames(ParseResult parse, Option<string?> data, Option<string> output, Option<int> epochs, Option<ulong> seed, Option<bool> json,
        Option<bool> force, Option<int> clips, Option<string?> strips, Option<string?> dataDir, CancellationToken cancel)
    {
        const int Shown = 4;
        string outPath = parse.GetValue(output)!, digitsName = parse.GetValue(data) ?? "mnist";
        string stripFolder = parse.GetValue(strips) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, Path.GetFileNameWithoutExtension(outPath) + "-strips");
        int count = CommonOptions.Positive(parse.GetValue(clips), clips.Name);
        var defaults = new FramePredictorOptions();
        var options = defaults with
        {
            Training = defaults.Training with { Epochs = CommonOptions.Positive(parse.GetValue(epochs), epochs.Name), Seed = parse.GetValue(seed) },
        };
        bool overwrite = parse.GetValue(force);
        OutputFile file = OutputFile.File(outPath, output.Name, overwrite);
        OutputFile folder = OutputFile.Folder(stripFolder, strips.Name, overwrite);
        Dataset digits = DataSource.Load(digitsName, Split.Train, parse.GetValue(dataDir));
        FramePredictor predictor = parse.GetValue(json)
            ? FramePredictor.FitMovingDigits(digits, count, options, cancel: cancel)
            : TrainingProgressView.Run($"Training on {Counted.Of(count, "clip")} of moving digits", progress => FramePredictor.FitMovingDigits(digits, count, options, progress, cancel));
        predictor.Save(file.Staging);
        var (pictures, report) = predictor.TryMovingDigits(DataSource.Load(digitsName, Split.Test, parse.GetValue(dataDir)), Shown);
        Directory.CreateDirectory(folder.Staging);
        for (int c = 0; c < pictures.Count; c++) PngWriter.Write(Path.Combine(folder.Staging, $"clip{c}.png"), pictures[c]);
        OutputFile.CommitAll(cancel);
        if (parse.GetValue(json))
            JsonOutput.Print(new { model = outPath, strips = stripFolder, clips = count, train_seconds = predictor.History!.TotalSeconds, mse = report.Mse, repeat_mse = report.RepeatMse, ssim = report.Ssim, repeat_ssim = report.RepeatSsim });
        else
        {
            Console.WriteLine(string.Create(Inv, $"Trained on {Counted.Of(count, "clip")} in {predictor.History!.TotalSeconds:F1} s; saved {outPath} and {Shown} strips (watched, true, predicted frames) in {stripFolder}."));
            Console.WriteLine(string.Create(Inv, $"Held-out MSE per predicted frame: {string.Join(" ", report.Mse.Select(m => m.ToString("F4", Inv)))} (repeating the last frame: {string.Join(" ", report.RepeatMse.Select(m => m.ToString("F4", Inv)))})."));
        }
        return 0;
    }

    private static Command CreatePredict()
    {
        var model = new Option<string>("--model") { Description = "A model written by 'latent seq2seq train'.", Required = true };
        var data = CommonOptions.Data();
        data.Description = "A CSV with a 'source' column (tokens separated by spaces); with a 'target' column too, the predictions are scored.";
        var beam = new Option<int>("--beam") { Description = "Beam search keeping this many partial sequences (1: greedy decoding).", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Write the predictions to this CSV (source, prediction[, target]) instead of the terminal." };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("predict", "Write the predicted target of every source; score them when the file has targets.") { model, data, beam, output, json, force };
        command.SetAction((parse, cancel) =>
        {
            int width = CommonOptions.Positive(parse.GetValue(beam), beam.Name);
            string dataPath = parse.GetValue(data)!;
            string? outPath = parse.GetValue(output);
            OutputFile? file = outPath is null ? null : OutputFile.File(outPath, output.Name, parse.GetValue(force), (data.Name, dataPath), (model.Name, parse.GetValue(model)));
            Seq2Seq seq2seq = Seq2Seq.Open(parse.GetValue(model)!);
            var (sources, targets) = SequencePairsFile.ReadSources(dataPath);
            string[][] predictions = seq2seq.Predict(sources, width);
            double? exact = targets is null ? null : (double)predictions.Where((p, i) => p.SequenceEqual(targets[i])).Count() / predictions.Length;
            if (file is not null)
            {
                var columns = new List<TableColumn> { Column("source", sources), Column("prediction", predictions) };
                if (targets is not null) columns.Add(Column("target", targets));
                CsvOutput.Write(file.Staging, new CsvTable(columns));
                OutputFile.CommitAll(cancel);
            }
            if (parse.GetValue(json))
                JsonOutput.Print(new
                {
                    predictions = file is null ? predictions.Select(p => string.Join(' ', p)) : null, @out = outPath, rows = predictions.Length, beam = width,
                    exact_accuracy = exact,
                });
            else
            {
                if (file is null)
                    foreach (string[] prediction in predictions) Console.WriteLine(string.Join(' ', prediction));
                else Console.WriteLine($"Wrote {Counted.Of(predictions.Length, "prediction")} to {outPath}.");
                if (exact is { } e) Console.WriteLine(string.Create(Inv, $"Exact-sequence accuracy against the file's targets: {e * 100:F2} % of {Counted.Of(predictions.Length, "row")}."));
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static TableColumn Column(string name, IEnumerable<string[]> sequences) => TableColumn.Categorical(name, sequences.Select(s => string.Join(' ', s)));
}

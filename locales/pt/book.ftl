## flash.book

flash-book-saved = O registo foi guardado no caderno de sumários.
flash-book-deleted = O registo foi eliminado.

## book

book-title = Caderno de sumários
book-write = Escrever no caderno
book-for_child = O caderno de sumários de { $name }
book-classes_label = Que turma?
book-all_classes = Todas as minhas turmas
book-prev_day = Dia anterior
book-next_day = Dia seguinte
book-prev_week = Semana anterior
book-next_week = Semana seguinte
book-week_of = Semana de { $first } a { $last }
book-see_week = Ver a semana inteira
book-this_week = Voltar a esta semana
book-due_today = Trabalhos para este dia
book-lessons = Aulas
book-nothing = Nada registado para este dia.
book-set_on = marcado em { $day }
book-done = Feito na aula:
book-to_do = A fazer:
book-due_for = Para { $day }:
book-work = Trabalho a fazer
book-hand_in = Entregar: { $title }
book-size_kb = { $n } KB
book-class = Turma
book-lesson_day = Dia da aula
book-due_day = Data de entrega
book-by = Escrito por
book-files = Ficheiros
book-edit = Editar
book-delete = Eliminar…
book-delete_warning = O registo e os respetivos ficheiros serão eliminados definitivamente.
book-delete_confirm = Eliminar definitivamente
book-new_title = Novo registo no caderno de sumários
book-edit_title = Editar o registo
book-choose_class = Para que turma?
book-subject = Disciplina
book-dates_hint = As datas escrevem-se 2026-05-04. Indique uma data de entrega apenas quando houver trabalho a fazer, e o trabalho a fazer sempre com a sua data de entrega.
book-drop_box = Caixa de entrega para entregar o trabalho (opcional)
book-no_drop_box = Nenhuma
book-attached = Ficheiros já anexados (marque os que quer retirar)
book-remove_file = Retirar { $name }
book-attach = Anexar ficheiros dos meus documentos
book-attach_hint =
    São anexadas cópias: no máximo { $n ->
        [one] { $n } ficheiro
       *[other] { $n } ficheiros
    }, com { $mib } MiB cada um. Os seus próprios ficheiros ficam como estão.
book-no_files = Ainda não tem ficheiros nos seus documentos.
book-save = Guardar no caderno
book-due_soon = Trabalhos de casa para breve
book-nothing_due = Nada a fazer nos próximos dias.
book-error_subject_empty = Indique a disciplina.
book-error_subject_long = O nome da disciplina é demasiado longo (no máximo 60 caracteres).
book-error_nothing = Escreva o que foi feito na aula ou o trabalho a fazer.
book-error_text_long = Um dos textos é demasiado longo (no máximo 5000 caracteres).
book-error_due_missing = Indique o dia de entrega do trabalho.
book-error_work_missing = Indique o trabalho a fazer para esse dia, ou deixe a data de entrega em branco.
book-error_due_before = A data de entrega do trabalho é anterior à aula.
book-error_due_far = A data de entrega do trabalho é mais de um ano depois da aula.
book-error_assignment = Esta caixa de entrega não pertence a esta turma.
book-error_attachment = Um dos ficheiros escolhidos já não está nos seus documentos.
book-error_too_many_files = Demasiados ficheiros: no máximo 5 por registo.
book-error_file_big = Um dos ficheiros escolhidos é demasiado grande (no máximo 20 MiB).
book-error_class = Escolha a turma.
book-articles = Artigos da biblioteca para ler
book-articles_hint = Procure um artigo pelo início do título, assinale-o e depois guarde (no máximo { $n }). Só são propostas as coleções que os alunos da turma podem ler.
book-article_search = Título do artigo
book-article_find = Procurar
book-article_none = Nenhum artigo cujo título comece por «{ $q }».
book-article_missing = O artigo { $path } já não está na biblioteca: será retirado ao guardar.
book-to_read = Para ler na biblioteca
book-error_article = Um dos artigos escolhidos não está na biblioteca, ou os alunos da turma não o podem ler.
book-error_too_many_articles = Demasiados artigos: no máximo 10 por registo.
